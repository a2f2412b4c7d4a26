import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CycleError } from '../../src/errors/cycle-error.js';
import { ValidationError } from '../../src/errors/validation-error.js';
import type { RunResult } from '../../src/runtime/job-data.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness;
let sessionId: string;

beforeAll(async () => {
  h = await startEngineHarness();
  await h.startWorkers();
  sessionId = (await h.rt.sessions.create('u1')).sessionId;
});
afterAll(async () => h?.cleanup());

async function run(spec: unknown): Promise<{ status: Awaited<ReturnType<EngineHarness['waitForJob']>>; result: RunResult }> {
  const { jobId } = await h.rt.producer.enqueueRun({ sessionId, userId: 'u1', spec: spec as never });
  const status = await h.waitForJob(jobId);
  return { status, result: status.result as RunResult };
}

describe('flows on real Redis', () => {
  it('runs a chain: the output of one workflow feeds the next', async () => {
    const { status, result } = await run({ sequence: [{ workflow: 'test.numbers', params: { start: 5 } }, { workflow: 'test.sum' }] });
    expect(status.state).toBe('completed');
    expect(result.outputs['test_sum']).toEqual({ total: 18 });
    expect((await h.rt.producer.dryRun({ sequence: [{ workflow: 'test.numbers', params: { start: 5 } }, { workflow: 'test.sum' }] }, { userId: 'u1', sessionId })).mode).toBe('tree');
  });

  it('fans out to 3 parallel branches and joins them', async () => {
    const spec = {
      sequence: [
        { workflow: 'test.numbers', params: { start: 2 } },
        { parallel: [{ workflow: 'test.double' }, { workflow: 'test.square' }, { workflow: 'test.negate' }] },
        { workflow: 'test.collect' },
      ],
    };
    const before = await h.runs('test.numbers.make');
    const { status, result } = await run(spec);
    expect(status.state).toBe('completed');
    expect(result.outputs['test_double']).toEqual({ double: [4, 6, 8] });
    expect(result.outputs['test_square']).toEqual({ square: [4, 9, 16] });
    expect(result.outputs['test_negate']).toEqual({ negate: [-2, -3, -4] });
    expect(result.outputs['test_collect']).toEqual({ keys: ['double', 'square', 'negate'] });
    expect((await h.runs('test.numbers.make')) - before).toBe(1);
  });

  it('compiles a pure fan-in to one FlowProducer tree (children first, parent reads their results)', async () => {
    const spec = { sequence: [{ parallel: [{ workflow: 'test.numbers', params: { start: 1 } }, { workflow: 'test.numbers', params: { start: 10 } }] }, { workflow: 'test.sum' }] };
    const view = await h.rt.producer.dryRun(spec, { userId: 'u1', sessionId });
    expect(view.mode).toBe('tree');
    const { status, result } = await run(spec);
    expect(status.state).toBe('completed');
    // the later state wins on a key clash; the point is the parent saw both children
    expect(Object.keys(result.outputs).sort()).toEqual(['test_numbers', 'test_numbers_2', 'test_sum']);
  });

  it('chooses a conditional branch at run time', async () => {
    const spec = (start: number) => ({
      sequence: [
        { workflow: 'test.sum', id: 'total', params: { numbers: [start] } },
        { condition: { path: 'total', op: 'gt', value: 10 }, then: { workflow: 'test.double', id: 'big', params: { numbers: [1] } }, else: { workflow: 'test.negate', id: 'small', params: { numbers: [1] } } },
      ],
    });
    const big = await run(spec(50));
    expect(big.result.outputs['big']).toEqual({ double: [2] });
    expect(big.result.outputs['small']).toBeUndefined();
    expect(big.result.skipped).toContain('small.apply');
    const small = await run(spec(3));
    expect(small.result.outputs['small']).toEqual({ negate: [-1] });
    expect(small.result.outputs['big']).toBeUndefined();
  });

  it('runs a node-level when() branch only when it applies', async () => {
    const big = await run({ workflow: 'test.branchy', params: { n: 50 } });
    expect(big.result.outputs['test_branchy']).toMatchObject({ size: 'big', bigHandled: true });
    const small = await run({ workflow: 'test.branchy', params: { n: 1 } });
    expect(small.result.outputs['test_branchy']).toEqual({ size: 'small' });
    expect(small.result.skipped).toContain('test_branchy.big');
  });

  it('once the steps left form a tree, the coordinator adds them as one BullMQ flow and wakes once for them', async () => {
    const spec = { sequence: [{ workflow: 'test.numbers', params: { start: 1 } }, { parallel: [{ workflow: 'test.double' }, { workflow: 'test.square' }] }, { workflow: 'test.collect' }] };
    const { jobId, runId } = await h.rt.producer.enqueueRun({ sessionId, userId: 'u1', spec: spec as never });
    const status = await h.waitForJob(jobId);
    expect(status.state).toBe('completed');
    expect((status.result as RunResult).outputs['test_collect']).toEqual({ keys: ['double', 'square'] });
    const set = h.rt.producer.queues.forSession(sessionId);
    const coordinator = await set.flows.getJob(jobId);
    const tree = (coordinator!.data as { tree?: { root: string; steps: string[] } }).tree;
    expect(tree?.root).toMatch(/^test_collect\./);
    expect(tree?.steps).toHaveLength(3);
    // the branches are children of the join (not of the coordinator), and they got the first step's result as input
    const branches = (await set.node('nodes').getJobs(['completed'], 0, 200)).filter((j) => j.id?.startsWith(`${runId}.test_double`) || j.id?.startsWith(`${runId}.test_square`));
    expect(branches).toHaveLength(2);
    for (const b of branches) {
      expect(b.parentKey).toBe(`${set.prefix}:nodes:${runId}.${tree!.root}`);
      expect(Object.keys((b.data as { inputs?: object }).inputs ?? {})).toEqual([expect.stringMatching(/^test_numbers\./)]);
    }
    // the first step came in one flow with the coordinator, so the coordinator woke twice: once the
    // first step was done (it added the tree), once the tree was done
    const first = (await set.node('nodes').getJobs(['completed'], 0, 200)).find((j) => j.id?.startsWith(`${runId}.test_numbers`));
    expect(first?.parentKey).toBe(`${set.prefix}:flows:${jobId}`);
    expect(coordinator!.attemptsStarted).toBe(2);
  });

  it('runs a shared DAG dependency exactly once', async () => {
    const before = await h.runs('test.numbers.make');
    const { status, result } = await run({
      dag: [
        { id: 'src', workflow: 'test.numbers', params: { start: 1 } },
        { id: 'd', workflow: 'test.double', dependsOn: ['src'] },
        { id: 's', workflow: 'test.square', dependsOn: ['src'] },
        { id: 'all', workflow: 'test.collect', dependsOn: ['d', 's'] },
      ],
    });
    expect(status.state).toBe('completed');
    expect(result.outputs['all']).toEqual({ keys: ['double', 'square'] });
    expect((await h.runs('test.numbers.make')) - before).toBe(1);
  });

  it('rejects a cycle, naming it, before anything is enqueued', async () => {
    const counts = await h.rt.producer.queues.nodes.getJobCounts();
    const spec = { dag: [{ id: 'a', workflow: 'test.sum', dependsOn: ['c'] }, { id: 'b', workflow: 'test.sum', dependsOn: ['a'] }, { id: 'c', workflow: 'test.sum', dependsOn: ['b'] }] };
    await expect(h.rt.producer.enqueueRun({ sessionId, userId: 'u1', spec })).rejects.toThrow(CycleError);
    await expect(h.rt.producer.enqueueRun({ sessionId, userId: 'u1', spec })).rejects.toThrow(/a → c → b → a|c → b → a → c|b → a → c → b/);
    expect(await h.rt.producer.queues.nodes.getJobCounts()).toEqual(counts);
  });

  it('rejects unknown workflows and bad parameters before enqueueing', async () => {
    await expect(h.rt.producer.enqueueRun({ sessionId, userId: 'u1', spec: { workflow: 'nope.nothing' } })).rejects.toThrow(ValidationError);
    await expect(h.rt.producer.enqueueRun({ sessionId, userId: 'u1', spec: { workflow: 'test.numbers', params: { start: 'x' } } })).rejects.toThrow(ValidationError);
  });

  it('fails the run when a child fails under the fail policy (and never leaves the parent waiting)', async () => {
    const { status } = await run({ sequence: [{ workflow: 'test.fail' }, { workflow: 'test.sum', params: { numbers: [1] } }] });
    expect(status.state).toBe('failed');
    expect(await h.runs('test.sum.add')).toBeGreaterThanOrEqual(0);
  });

  it('retries a transient failure with backoff, but not an error retrying cannot fix', async () => {
    const failBefore = await h.runs('test.fail.boom');
    const rejectBefore = await h.runs('test.reject.check');
    expect((await run({ workflow: 'test.fail' })).status.state).toBe('failed');
    expect((await run({ workflow: 'test.reject' })).status.state).toBe('failed');
    expect((await h.runs('test.fail.boom')) - failBefore).toBe(2); // DATAOPS_JOB_ATTEMPTS=2 in the harness
    expect((await h.runs('test.reject.check')) - rejectBefore).toBe(1);
  });

  it('goes on past a failed child under the ignore policy and records the failure', async () => {
    const { status, result } = await run({
      dag: [
        { id: 'bad', workflow: 'test.fail', onFailure: 'ignore' },
        { id: 'good', workflow: 'test.numbers', params: { start: 1 } },
        { id: 'after', workflow: 'test.sum', dependsOn: ['bad', 'good'] },
      ],
    });
    expect(status.state).toBe('completed');
    expect(result.outputs['after']).toEqual({ total: 6 });
    expect(result.failed.map((f) => f.step)).toContain('bad.boom');
  });

  it('tree mode also honours the ignore policy', async () => {
    const { status, result } = await run({
      sequence: [{ parallel: [{ workflow: 'test.fail', onFailure: 'ignore' }, { workflow: 'test.numbers', params: { start: 0 } }] }, { workflow: 'test.sum' }],
    });
    expect(status.state).toBe('completed');
    expect(result.outputs['test_sum']).toEqual({ total: 3 });
    expect(result.failed.map((f) => f.step)).toEqual(['test_fail.boom']);
  });

  it('stores withArtifacts output as an artifact and passes only its id', async () => {
    const { result } = await run({ workflow: 'test.report', params: { title: 'Q3', format: 'markdown' } });
    const id = result.outputs['test_report']!['reportArtifactId'] as string;
    expect(id).toMatch(/^art_/);
    expect(await h.rt.artifacts.getText(id)).toBe('# Q3\nformat: markdown\n');
    expect(result.allArtifacts).toEqual([id]);
  });
});
