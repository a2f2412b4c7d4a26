import { once } from 'node:events';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { NodeContext } from '../../src/workflows/define-workflow.js';
import { withArtifacts } from '../../src/workflows/with-artifacts.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { killProcesses, startWorkerProcess } from '../support/processes.js';

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(async () => {
  killProcesses();
  await h?.cleanup();
});

/** Every artifact of a session (all pages). */
async function sessionArtifacts(sessionId: string) {
  const all = [];
  let cursor: string | undefined;
  do {
    const page = await h.rt.artifacts.list(sessionId, { limit: 200, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

describe('node artifacts are stored exactly once', () => {
  it('a node that runs twice (a retry, a stalled job) stores its output once and returns the same id', async () => {
    const s = await h.rt.sessions.create('u1');
    const input = await h.rt.artifacts.store({ sessionId: s.sessionId, workflowName: 'upload', createdBy: 'u1', content: 'source text' });
    const ctx = (): NodeContext => ({
      runId: 'run-once-1',
      sessionId: s.sessionId,
      userId: 'u1',
      workflow: 'test.once',
      node: 'write',
      step: 'test_once.write',
      artifacts: h.rt.artifacts.forTenant({ userId: 'u1', sessionId: s.sessionId, run: { runId: 'run-once-1', step: 'test_once.write' } }),
      log: createLogger('silent'),
      progress: async () => undefined,
    });
    const node = withArtifacts({ contentType: 'text' }, async (state) => ({ output: `derived from ${String(state.source)}` }));
    const first = await node({ source: input.artifactId }, ctx());
    const second = await node({ source: input.artifactId }, ctx());
    expect(second).toEqual(first);
    const stored = (await sessionArtifacts(s.sessionId)).filter((a) => a.artifactId !== input.artifactId);
    expect(stored.map((a) => a.artifactId)).toEqual([first.outputArtifactId]);
    expect(stored[0]!.parentArtifacts).toEqual([input.artifactId]);
    expect((await h.rt.artifacts.peek(input.artifactId)).childArtifacts).toEqual([first.outputArtifactId]);
    // another step (or run) is another output
    const otherCtx = { ...ctx(), artifacts: h.rt.artifacts.forTenant({ userId: 'u1', sessionId: s.sessionId, run: { runId: 'run-once-2', step: 'test_once.write' } }) };
    const other = await node({ source: input.artifactId }, otherCtx);
    expect(other.outputArtifactId).not.toBe(first.outputArtifactId);
  });

  it('a worker killed mid-write leaves no duplicate or orphan artifact and correct lineage after the retry', async () => {
    const first = (await startWorkerProcess(h.t.env)).child;
    const s = await h.rt.sessions.create('u1');
    const input = await h.rt.artifacts.store({ sessionId: s.sessionId, workflowName: 'upload', createdBy: 'u1', content: 'to be split' });
    const pieces = 6;
    const { jobId } = await h.rt.producer.enqueueRun({
      sessionId: s.sessionId,
      userId: 'u1',
      spec: { workflow: 'test.many', params: { source: input.artifactId, pieces, ms: 300 } },
    });
    const deadline = Date.now() + 30_000;
    while ((await h.runs('test.many.stored')) < 2) {
      if (Date.now() > deadline) throw new Error('the node never started storing');
      await new Promise((r) => setTimeout(r, 10));
    }
    first.kill('SIGKILL');
    await once(first, 'exit');
    const storedBeforeKill = await h.runs('test.many.stored');
    expect(storedBeforeKill).toBeLessThan(pieces);

    await startWorkerProcess(h.t.env);
    const status = await h.waitForJob(jobId, 60_000);
    expect(status.state).toBe('completed');
    expect(await h.runs('test.many.split')).toBe(2); // the node really ran twice
    const ids = (status.result as { outputs: Record<string, { pieceArtifactIds: string[] }> }).outputs['test_many']!.pieceArtifactIds;
    expect(new Set(ids).size).toBe(pieces);

    const stored = (await sessionArtifacts(s.sessionId)).filter((a) => a.artifactId !== input.artifactId);
    expect(stored.map((a) => a.artifactId).sort()).toEqual([...ids].sort()); // 0 orphans, 0 duplicates
    for (const a of stored) expect(a.parentArtifacts).toEqual([input.artifactId]);
    expect((await h.rt.artifacts.peek(input.artifactId)).childArtifacts.sort()).toEqual([...ids].sort());
    // and no S3 object without its artifact: the input plus one object per piece
    const objects = await h.t.services.s3.send(new ListObjectsV2Command({ Bucket: h.t.services.bucket, Prefix: `artifacts/${s.sessionId}/` }));
    expect(objects.KeyCount).toBe(pieces + 1);
    const texts = await Promise.all(ids.map((id) => h.rt.artifacts.getText(id)));
    expect(texts).toEqual(ids.map((_, i) => `to be split #${i}`));
  }, 150_000);
});
