import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import { SessionTurns } from '../../src/runtime/session-turns.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { SlowRecordingLlm } from '../support/slow-recording-llm.js';

const llm = new SlowRecordingLlm();
let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness({ llm, env: { DATAOPS_ORCHESTRATOR_CONCURRENCY: '4' } });
  // Two orchestrator Worker instances (as two processes would have), 8 slots in all, plus nodes.
  await h.startWorkers({ queues: ['orchestrator'] });
  await h.startWorkers({ queues: ['orchestrator'] });
  await h.startWorkers({ queues: ['nodes', 'flows'] });
});
afterAll(async () => h?.cleanup());

async function burst(sessionId: string, messages: string[]): Promise<OrchestratorResult[]> {
  const { statuses } = await h.sendAll(sessionId, messages, 60_000);
  for (const status of statuses) expect(status.state, status.error ?? '').toBe('completed');
  return statuses.map((s) => s.result as OrchestratorResult);
}

describe("one session's messages, across several orchestrator workers", () => {
  it('are handled one at a time in message order; a question and its answer are never inverted', async () => {
    const s = await h.rt.sessions.create('u1');
    const other = await h.rt.sessions.create('u1');
    const chatter = Array.from({ length: 8 }, (_, i) => `what is the weather on mars, take ${i}`);
    const messages = [...chatter.slice(0, 4), 'please write a report', 'title: "Quarterly sales", format markdown', ...chatter.slice(4)];
    const started = Date.now();
    const [results] = await Promise.all([burst(s.sessionId, messages), burst(other.sessionId, chatter)]);
    console.log(`session order: ${messages.length} + ${chatter.length} messages on two sessions, 2 orchestrator workers: ${Date.now() - started} ms`);
    expect(llm.order.get(s.sessionId)).toEqual(messages);
    expect(llm.maxOverlap.get(s.sessionId)).toBe(1);
    expect(llm.order.get(other.sessionId)).toEqual(chatter);
    expect(results[4]!.outcome).toBe('asked');
    expect(results[5]!.outcome).toBe('succeeded');
    expect(results[5]!.workflow).toBe('test.report');
    // The replies are stored in the order of the messages they answer.
    const history = (await h.rt.sessions.listMessages(s.sessionId, { limit: 100 })).items;
    const users = history.filter((m) => m.role === 'user');
    expect(users.map((m) => m.content)).toEqual(messages);
    expect(history.filter((m) => m.role === 'assistant').map((m) => m.messageId)).toEqual(users.map((m) => `${m.messageId}.reply`));
  }, 180_000);

  it("a dead turn holder does not block the session: a lost job's ticket and a failed job are skipped", async () => {
    const s = await h.rt.sessions.create('u1');
    const { services, config } = h.t;
    const turns = new SessionTurns(services.redis, services, 3600_000);
    // The producer died between taking a ticket and adding its job: the ticket's job never exists.
    await turns.register(s.sessionId, 'msg-lost-before-enqueue', Date.now());
    // A job that holds a ticket and fails for good (its data is unreadable).
    const q = new Queue('orchestrator', { connection: services.bullConnection, prefix: services.queuePrefix });
    try {
      const turn = await turns.register(s.sessionId, 'msg-broken');
      await q.add('message', { sessionId: s.sessionId, turn, bogus: true }, { jobId: 'msg-broken', attempts: 1 });
      const [r] = await burst(s.sessionId, ['make numbers with start = 7']);
      expect(r!.outcome).toBe('succeeded');
      expect((await q.getJob('msg-broken'))?.failedReason).toMatch(/invalid orchestrator job data/);
      expect(await turns.head(s.sessionId)).toBeNull();
      expect(Number(config.workers.lockDurationMs)).toBeLessThan(10_000); // the grace for a lost job is one lock duration
    } finally {
      await q.close();
    }
  }, 120_000);
});
