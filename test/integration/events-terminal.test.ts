import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCluster, type RedisClient } from '../../src/infra/redis.js';
import { publishTerminalEvent } from '../../src/runtime/events.js';
import { KEYS, startApiHarness, type ApiHarness, type EventClient } from '../support/api-harness.js';
import { onCluster } from '../support/test-services.js';

let h: ApiHarness;
const A = KEYS.alice;
beforeAll(async () => {
  h = await startApiHarness();
  await h.startWorkers();
});
afterAll(async () => h?.cleanup());

const newSession = async () => (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
/** Waits until the job is finished, then a little longer, so a late duplicate would have arrived. */
async function settle(jobId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = (await h.call('GET', `/v1/jobs/${jobId}`, { token: A })).body?.state;
    if (state === 'completed' || state === 'failed') break;
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 1500));
}
const count = (c: EventClient, type: string, pred: (e: Record<string, unknown>) => boolean = () => true) =>
  c.events.filter((e) => e.type === type && pred(e)).length;

describe('terminal events over a real WebSocket: exactly one per job and per run', () => {
  it('a failed run sends run.finished once (after its retries), with status failed', async () => {
    const s = await newSession();
    const ws = await h.events(s, A);
    const r = await h.call('POST', `/v1/sessions/${s}/runs`, { token: A, json: { workflow: 'test.fail', params: {} } });
    expect(r.status).toBe(202);
    const finished = await ws.next((e) => e.type === 'run.finished');
    expect(finished.status).toBe('failed');
    await settle(r.body.jobId);
    expect(count(ws, 'run.finished')).toBe(1);
    // all three attempts ran; the node's final failure says it will not retry
    expect(count(ws, 'node.started')).toBe(3);
    expect(ws.events.filter((e) => e.type === 'node.failed').map((e) => e.willRetry)).toEqual([false]);
    await ws.close();
  });

  it('a message whose run fails: progress of the message job, one run.finished and one reply', async () => {
    const s = await newSession();
    const ws = await h.events(s, A);
    const r = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'fail please' } });
    expect(r.status).toBe(202);
    const jobId = r.body.jobId as string;
    const reply = await ws.next((e) => e.type === 'reply' && e.jobId === jobId);
    await settle(jobId);
    expect(count(ws, 'run.finished')).toBe(1);
    expect(ws.events.find((e) => e.type === 'run.finished')!.status).toBe('failed');
    expect(count(ws, 'reply')).toBe(1);
    expect(count(ws, 'job.failed')).toBe(0);
    // the orchestrator's own progress reaches the socket, before the reply
    const progress = ws.events.filter((e) => e.type === 'job.progress' && e.jobId === jobId);
    expect(progress.map((e) => e.progress)).toEqual([10, 30]);
    expect(ws.events.indexOf(progress[1]!)).toBeLessThan(ws.events.indexOf(reply));
    await ws.close();
  });

  it('a message that completes: one reply, one run.finished (completed), no job.failed', async () => {
    const s = await newSession();
    const ws = await h.events(s, A);
    const r = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'make numbers with start = 5' } });
    const jobId = r.body.jobId as string;
    await ws.next((e) => e.type === 'reply' && e.jobId === jobId);
    await settle(jobId);
    expect(count(ws, 'reply')).toBe(1);
    expect(count(ws, 'job.failed')).toBe(0);
    const runs = ws.events.filter((e) => e.type === 'run.finished');
    expect(runs.map((e) => e.status)).toEqual(['completed']);
    await ws.close();
  });

  it('a message job that fails for good sends job.failed, once', async () => {
    const s = await newSession();
    const ws = await h.events(s, A);
    // job data the orchestrator refuses (an unrecoverable failure on the first attempt)
    const jobId = `msg-broken-${Date.now()}`;
    await h.rt.producer.queues.orchestrator.add('message', { sessionId: s, userId: 'alice', unexpected: true }, { jobId, attempts: 3 });
    const failed = await ws.next((e) => e.type === 'job.failed');
    expect(failed.jobId).toBe(jobId);
    expect(String(failed.error)).toMatch(/invalid orchestrator job data/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(count(ws, 'job.failed')).toBe(1);
    expect(count(ws, 'reply')).toBe(0);
    await ws.close();
  });
});

/** Redis commands a publisher may send; the proxy below counts them. */
const COMMANDS = new Set(['set', 'get', 'del', 'publish', 'spublish', 'eval', 'evalsha', 'call', 'multi', 'pipeline', 'exec']);

/**
 * `redis` as a process sees it that dies at its `n`-th command (counting from 1): that command and
 * every later one never reach Redis. Everything else is the real client.
 */
function dyingAt(redis: RedisClient, n: number): RedisClient {
  let sent = 0;
  return new Proxy(redis, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (!COMMANDS.has(String(prop))) return fn.bind(target);
      return (...args: unknown[]) => (++sent >= n ? Promise.reject(new Error(`process died before command ${sent}`)) : fn.apply(target, args));
    },
  });
}

describe(`terminal events are claimed and published in one step${onCluster ? ' (Redis Cluster: SPUBLISH in the script)' : ''}`, () => {
  it('a publisher that dies at any command is retried into exactly one event; repeats send nothing', async () => {
    const s = await newSession();
    const ws = await h.events(s, A);
    const redis = h.t.services.redis;
    expect(isCluster(redis)).toBe(onCluster);
    const ids: string[] = [];
    for (let n = 1; n <= 4; n++) {
      const jobId = `msg-dies-at-${n}-${Date.now()}`;
      ids.push(jobId);
      const event = { type: 'job.failed' as const, jobId, error: `attempt dying at command ${n}` };
      // the first attempt dies part-way; the job's retry (another process) sends the event again, twice
      await publishTerminalEvent(dyingAt(redis, n), h.t.services.keyPrefix, s, jobId, event).catch(() => false);
      await publishTerminalEvent(redis, h.t.services.keyPrefix, s, jobId, event);
      expect(await publishTerminalEvent(redis, h.t.services.keyPrefix, s, jobId, event)).toBe(false);
    }
    for (const jobId of ids) await ws.next((e) => e.type === 'job.failed' && e.jobId === jobId, 5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(ids.map((jobId) => count(ws, 'job.failed', (e) => e.jobId === jobId))).toEqual(ids.map(() => 1));
    await ws.close();
  });

  it('publishers racing on separate connections send one event between them', async () => {
    const s = await newSession();
    const ws = await h.events(s, A);
    const jobId = `msg-raced-${Date.now()}`;
    const redis = h.t.services.redis;
    const connections: RedisClient[] = Array.from({ length: 6 }, () => (isCluster(redis) ? redis.duplicate() : redis.duplicate()));
    try {
      const sent = await Promise.all(
        connections.map((c) => publishTerminalEvent(c, h.t.services.keyPrefix, s, jobId, { type: 'job.failed', jobId, error: 'raced' })),
      );
      expect(sent.filter(Boolean)).toHaveLength(1);
      await ws.next((e) => e.type === 'job.failed' && e.jobId === jobId, 5000);
      await new Promise((r) => setTimeout(r, 500));
      expect(count(ws, 'job.failed', (e) => e.jobId === jobId)).toBe(1);
    } finally {
      for (const c of connections) c.disconnect();
      await ws.close();
    }
  });
});
