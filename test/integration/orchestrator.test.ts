import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
  await h.startWorkers();
});
afterAll(async () => h?.cleanup());

async function say(sessionId: string, content: string, artifacts: string[] = []): Promise<OrchestratorResult> {
  const { jobId } = await h.rt.producer.enqueueMessage({ sessionId, userId: 'u1', content, artifacts });
  const status = await h.waitForJob(jobId);
  expect(status.state).toBe('completed');
  return status.result as OrchestratorResult;
}

describe('orchestrator (offline router, real queues)', () => {
  it('asks for every missing parameter at once, then completes the request from the next message', async () => {
    const s = await h.rt.sessions.create('u1');
    const first = await say(s.sessionId, 'please write a report');
    expect(first.outcome).toBe('asked');
    expect(first.workflow).toBe('test.report');
    expect(first.reply).toContain('What should the report be called?');
    expect(first.reply).toContain('Markdown or plain text?');
    const pending = (await h.rt.sessions.get(s.sessionId)).pendingRequest;
    expect(pending?.workflow).toBe('test.report');
    expect([...(pending?.missing ?? [])].sort()).toEqual(['format', 'title']);

    const second = await say(s.sessionId, 'title: "Quarterly sales", format markdown');
    expect(second.outcome).toBe('succeeded');
    expect(second.workflow).toBe('test.report');
    expect(second.artifacts).toHaveLength(1);
    expect(await h.rt.artifacts.getText(second.artifacts[0]!)).toBe('# Quarterly sales\nformat: markdown\n');
    const after = await h.rt.sessions.get(s.sessionId);
    expect(after.pendingRequest).toBeNull();
    expect(after.artifactRefs).toContain(second.artifacts[0]);
    const history = await h.rt.sessions.getRecentMessages(s.sessionId, 10);
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(history[3]!.workflow).toBe('test.report');
    expect(history[3]!.artifacts).toEqual(second.artifacts);
  });

  it('abandons a pending question cleanly when the user asks for something else', async () => {
    const s = await h.rt.sessions.create('u1');
    expect((await say(s.sessionId, 'write a report')).outcome).toBe('asked');
    const other = await say(s.sessionId, 'make numbers with start = 5');
    expect(other.outcome).toBe('succeeded');
    expect(other.workflow).toBe('test.numbers');
    expect(other.reply).toContain('5');
    expect((await h.rt.sessions.get(s.sessionId)).pendingRequest).toBeNull();
  });

  it('answers an unmatched request with what it can do, and runs nothing', async () => {
    const s = await h.rt.sessions.create('u1');
    const before = await h.rt.producer.queues.nodes.getJobCounts();
    const r = await say(s.sessionId, 'what is the weather like on mars tomorrow');
    expect(r.outcome).toBe('answered');
    expect(r.reply).toMatch(/^That is outside what I can do/);
    expect(r.reply).not.toContain("I don't know");
    expect(r.reply).toContain('test.report');
    expect(await h.rt.producer.queues.nodes.getJobCounts()).toEqual(before);
  });

  it('reports a failed run in the reply instead of hanging: the step, the cause in plain words, what to do', async () => {
    const s = await h.rt.sessions.create('u1');
    const { jobId } = await h.rt.producer.enqueueMessage({ sessionId: s.sessionId, userId: 'u1', content: 'fail please', artifacts: [] });
    const status = await h.waitForJob(jobId);
    const r = status.result as OrchestratorResult;
    expect(r.outcome).toBe('failed');
    expect(status.state).toBe('completed');
    expect(status.outcome).toBe('failed');
    expect(r.reply).toMatch(/^The step \*\*test\.fail\*\* \(always fails \(for failure-policy tests\)\) failed: boom: this node always fails\./);
    expect(r.reply).toContain('What to do:');
    expect(r.reply).not.toMatch(/run-sess_|Error:|:nodes:|\{t[0-9a-f]+\}/);
  });

  it('follows a failure through the step that waited for it (one flow for two requests)', async () => {
    const s = await h.rt.sessions.create('u1');
    const r = await say(s.sessionId, 'make numbers with start = 5, then fail please');
    expect(r.outcome).toBe('failed');
    expect(r.reply).toMatch(/^The step \*\*test\.fail\*\* .* failed: boom: this node always fails\./);
    expect(r.reply).not.toMatch(/run-sess_|Error:|:nodes:|child|\{t[0-9a-f]+\}/);
  });

  it('takes an unquoted free-text answer to a pending string question', async () => {
    const s = await h.rt.sessions.create('u1');
    expect((await say(s.sessionId, 'write a report in markdown')).outcome).toBe('asked');
    const done = await say(s.sessionId, 'Quarterly sales review for the board');
    expect(done.outcome).toBe('succeeded');
    expect(await h.rt.artifacts.getText(done.artifacts[0]!)).toBe('# Quarterly sales review for the board\nformat: markdown\n');
  });

  it('answers a capability question with the list, and shows the outcome on the job', async () => {
    const s = await h.rt.sessions.create('u1');
    const { jobId } = await h.rt.producer.enqueueMessage({ sessionId: s.sessionId, userId: 'u1', content: 'what can you do?', artifacts: [] });
    const status = await h.waitForJob(jobId);
    const r = status.result as OrchestratorResult;
    expect(status.outcome).toBe('answered');
    expect(r.reply).toMatch(/^Here is what I can do:/);
    expect(r.reply).toContain('**test.report**');
  });

  it('keeps the reply seq in its job data, so a retried job stores the reply at the same seq once', async () => {
    const s = await h.rt.sessions.create('u1');
    const { jobId } = await h.rt.producer.enqueueMessage({ sessionId: s.sessionId, userId: 'u1', content: 'title: "Q1", format markdown, write a report', artifacts: [] });
    expect((await h.waitForJob(jobId)).state).toBe('completed');
    const job = await h.rt.producer.queues.forSession(s.sessionId).orchestrator.getJob(jobId);
    const grant = (job!.data as { replySeq?: { seq: number; timestamp: string; expired: boolean } }).replySeq;
    const [user, reply] = (await h.rt.sessions.listMessages(s.sessionId)).items;
    expect(grant?.seq).toBe(reply!.seq);
    expect(user!.seq).toBeLessThan(reply!.seq);
    // what a retry of the finished job does with its data: the same message comes back, nothing is added
    const again = await h.rt.sessions.addMessage(s.sessionId, { role: 'assistant', content: reply!.content, messageId: reply!.messageId }, { seq: grant! });
    expect(again).toEqual(reply);
    expect((await h.rt.sessions.listMessages(s.sessionId)).items).toHaveLength(2);
  });

  it('one idempotency key gives one job', async () => {
    const s = await h.rt.sessions.create('u1');
    const a = await h.rt.producer.enqueueMessage({ sessionId: s.sessionId, userId: 'u1', content: 'make numbers starting at 1', artifacts: [], idempotencyKey: 'k-1' });
    const b = await h.rt.producer.enqueueMessage({ sessionId: s.sessionId, userId: 'u1', content: 'make numbers starting at 1', artifacts: [], idempotencyKey: 'k-1' });
    expect(b.jobId).toBe(a.jobId);
    expect(b.duplicate).toBe(true);
    await h.waitForJob(a.jobId);
    const msgs = await h.rt.sessions.getRecentMessages(s.sessionId, 10);
    expect(msgs.filter((m) => m.role === 'user')).toHaveLength(1);
  });
});
