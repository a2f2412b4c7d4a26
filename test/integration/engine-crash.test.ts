import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { killProcesses, startWorkerProcess } from '../support/processes.js';

let h: EngineHarness;

/**
 * The lock and stalled-check interval the workers run with: the harness's short ones (2000 / 1000 ms)
 * unless given, e.g. the defaults (30000 / 30000) to measure what a deployment sees:
 * `DATAOPS_TEST_LOCK_DURATION_MS=30000 DATAOPS_TEST_STALLED_INTERVAL_MS=30000 npx vitest run test/integration/engine-crash.test.ts`.
 */
const lockMs = Number(process.env.DATAOPS_TEST_LOCK_DURATION_MS ?? 2000);
const stalledMs = Number(process.env.DATAOPS_TEST_STALLED_INTERVAL_MS ?? 1000);

beforeAll(async () => {
  h = await startEngineHarness({ env: { DATAOPS_LOCK_DURATION_MS: String(lockMs), DATAOPS_STALLED_INTERVAL_MS: String(stalledMs) } });
});
afterAll(async () => {
  killProcesses();
  await h?.cleanup();
});

/** Polls until `f` is true; returns the ms it took from `since`. */
async function msUntil(f: () => Promise<boolean>, since: number, timeoutMs: number, what: string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - since;
}

describe('crash recovery', () => {
  it('completes a flow after its worker process is SIGKILLed mid-node, on another worker, within lock duration + stalled interval', async () => {
    const first = (await startWorkerProcess(h.t.env, { timeoutMs: 30_000 })).child;
    const session = await h.rt.sessions.create('u1');
    const { jobId } = await h.rt.producer.enqueueRun({
      sessionId: session.sessionId,
      userId: 'u1',
      spec: { sequence: [{ workflow: 'test.numbers', params: { start: 1 } }, { workflow: 'test.slow', params: { ms: 1500 } }, { workflow: 'test.sum' }] },
    });
    // wait until the slow node is running in the worker process, start a second worker (in this
    // process: it starts in milliseconds), then kill the first without warning
    await msUntil(async () => (await h.runs('test.slow.wait')) >= 1, 0, 20_000, 'the slow node starting');
    await h.startWorkers();
    const killedAt = performance.now();
    first.kill('SIGKILL');
    await once(first, 'exit');
    expect((await h.rt.producer.getJob(jobId)).state).not.toBe('completed');

    const bound = lockMs + stalledMs;
    const timeout = 2 * bound + 40_000;
    const pickedUpMs = await msUntil(async () => (await h.runs('test.slow.wait')) >= 2, killedAt, timeout, 'the interrupted node running again');
    const status = await h.waitForJob(jobId, timeout);
    const completedMs = performance.now() - killedAt;
    console.info(
      `crash recovery: node job picked up again ${Math.round(pickedUpMs)} ms after SIGKILL, run completed after ${Math.round(completedMs)} ms ` +
        `(lock ${lockMs} ms + stalled interval ${stalledMs} ms = bound ${bound} ms; the node itself takes 1500 ms)`,
    );
    expect(status.state).toBe('completed');
    expect((status.result as { outputs: Record<string, unknown> }).outputs['test_sum']).toEqual({ total: 6 });
    // the interrupted node ran again in the new process; the finished one did not
    expect(await h.runs('test.slow.wait')).toBe(2);
    expect(await h.runs('test.numbers.make')).toBe(1);
    // not before the dead worker's lock could expire (it was last renewed at most half a lock ago),
    // and within lock + stalled interval (slack for a loaded machine)
    expect(pickedUpMs).toBeGreaterThan(lockMs / 2 - 250);
    expect(pickedUpMs).toBeLessThan(bound + 3000);
  }, 240_000);
});
