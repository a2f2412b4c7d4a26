import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import { ConflictError } from '../../src/errors/index.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
  await h.startWorkers({ queues: ['orchestrator', 'nodes', 'flows'] });
});
afterAll(async () => h?.cleanup());

describe('run starts happen once', () => {
  it('a finished run is not started again when its jobs were trimmed by retention and the message job runs again', async () => {
    const s = await h.rt.sessions.create('u1');
    const { jobId } = await h.rt.producer.enqueueMessage({ sessionId: s.sessionId, userId: 'u1', content: 'make numbers with start = 7', artifacts: [] });
    const first = (await h.waitForJob(jobId)).result as OrchestratorResult;
    expect(first.outcome).toBe('succeeded');
    const before = await h.runs('test.numbers.make');

    // BullMQ's retention removes finished node jobs; then the message job is processed again
    // (a retry after a late failure, an operator's "retry" in Bull Board, a stalled wake-up).
    await h.rt.producer.queues.nodes.clean(0, 10_000, 'completed');
    const job = (await h.rt.producer.queues.orchestrator.getJob(jobId))!;
    await job.retry('completed');
    const again = (await h.waitForJob(jobId)).result as OrchestratorResult;
    expect(again.outcome).toBe('succeeded');
    expect(again.runId).toBe(first.runId);
    expect(await h.runs('test.numbers.make')).toBe(before);
  });
});

describe('idempotency keys', () => {
  it('the same key on /messages and /runs does not collide', async () => {
    const s = await h.rt.sessions.create('u1');
    const m = await h.rt.producer.enqueueMessage({ sessionId: s.sessionId, userId: 'u1', content: 'make numbers with start = 1', artifacts: [], idempotencyKey: 'shared-key' });
    const r = await h.rt.producer.enqueueRun({ sessionId: s.sessionId, userId: 'u1', spec: { workflow: 'test.numbers', params: { start: 2 } }, idempotencyKey: 'shared-key' });
    expect(m.duplicate).toBe(false);
    expect(r.duplicate).toBe(false);
    expect(r.jobId).not.toBe(m.jobId);
    expect((await h.waitForJob(r.jobId)).state).toBe('completed');
    expect((await h.waitForJob(m.jobId)).state).toBe('completed');
  });

  it("user ids containing ':' do not share key space", async () => {
    const a = await h.rt.sessions.create('a:b');
    const b = await h.rt.sessions.create('a');
    const spec = { workflow: 'test.numbers', params: { start: 3 } };
    const ra = await h.rt.producer.enqueueRun({ sessionId: a.sessionId, userId: 'a:b', spec, idempotencyKey: 'c' });
    const rb = await h.rt.producer.enqueueRun({ sessionId: b.sessionId, userId: 'a', spec, idempotencyKey: 'b:c' });
    expect(rb.duplicate).toBe(false);
    expect(rb.jobId).not.toBe(ra.jobId);
    expect((await h.rt.producer.getJob(rb.jobId)).sessionId).toBe(b.sessionId);
  });

  it('a first attempt that fails does not poison the key: the retry does the work', async () => {
    const s = await h.rt.sessions.create('u1');
    const spec = { workflow: 'test.numbers', params: { start: 4 } };
    const queues = h.rt.producer.queues;
    const realAdd = queues.flowProducer.add.bind(queues.flowProducer);
    queues.flowProducer.add = async () => {
      throw new Error('Redis went away mid-request (injected)');
    };
    try {
      await expect(h.rt.producer.enqueueRun({ sessionId: s.sessionId, userId: 'u1', spec, idempotencyKey: 'retry-me' })).rejects.toThrow(/injected/);
    } finally {
      queues.flowProducer.add = realAdd;
    }
    const retry = await h.rt.producer.enqueueRun({ sessionId: s.sessionId, userId: 'u1', spec, idempotencyKey: 'retry-me' });
    const status = await h.waitForJob(retry.jobId);
    expect(status.state).toBe('completed');
    const again = await h.rt.producer.enqueueRun({ sessionId: s.sessionId, userId: 'u1', spec, idempotencyKey: 'retry-me' });
    expect(again).toEqual({ ...retry, duplicate: true });
  });

  it('a pending key whose first attempt died half-way is re-driven with the same ids: one message, one job', async () => {
    const s = await h.rt.sessions.create('u1');
    const input = { sessionId: s.sessionId, userId: 'u1', content: 'make numbers with start = 9', artifacts: [], idempotencyKey: 'crash-me' };
    const queue = h.rt.producer.queues.orchestrator;
    const realAdd = queue.add.bind(queue);
    // the process "dies" after recording the message, before its job is enqueued: the key stays pending
    let reached!: () => void;
    const stuck = new Promise<void>((r) => (reached = r));
    queue.add = (() => {
      reached();
      return new Promise(() => undefined); // never returns, like a process killed here
    }) as typeof queue.add;
    try {
      void h.rt.producer.enqueueMessage(input);
      await stuck;
    } finally {
      queue.add = realAdd;
    }
    const retry = await h.rt.producer.enqueueMessage(input);
    const status = await h.waitForJob(retry.jobId);
    expect(status.state).toBe('completed');
    const users = (await h.rt.sessions.listMessages(s.sessionId)).items.filter((m) => m.role === 'user');
    expect(users).toHaveLength(1);
    expect(users[0]!.messageId).toBe(retry.messageId);
    const again = await h.rt.producer.enqueueMessage(input);
    expect(again).toEqual({ ...retry, duplicate: true });
  });

  it('a key used for one session cannot return a job of it for another session', async () => {
    const s1 = await h.rt.sessions.create('u1');
    const s2 = await h.rt.sessions.create('u1');
    const spec = { workflow: 'test.numbers', params: { start: 5 } };
    await h.rt.producer.enqueueRun({ sessionId: s1.sessionId, userId: 'u1', spec, idempotencyKey: 'one-session' });
    await expect(h.rt.producer.enqueueRun({ sessionId: s2.sessionId, userId: 'u1', spec, idempotencyKey: 'one-session' })).rejects.toBeInstanceOf(ConflictError);
  });
});
