import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { killProcesses, startProcess, type TestProcess } from '../support/processes.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(async () => {
  killProcesses();
  await h?.cleanup();
});

// the jobs a killed worker left active must not occupy the next test's worker
afterEach(async () => {
  await h.rt.producer.queues.nodes.obliterate({ force: true });
});

/** A nodes worker process (runWorkerProcess) with 20 slots; resolves once it logged that it runs. */
async function worker(env: Record<string, string>): Promise<{ child: TestProcess['child']; out: () => string }> {
  const p = await startProcess(
    'test/support/signal-worker.ts',
    { ...process.env, ...h.t.env, LOG_LEVEL: 'info', DATAOPS_NODES_CONCURRENCY: '20', ...env },
    /test-nodes running/,
    { timeoutMs: 150_000 },
  );
  return { child: p.child, out: p.out };
}

/** Enqueues `n` single-node runs of test.slow and waits until all of them are active. */
async function activeSlowJobs(n: number, ms: number): Promise<string[]> {
  const s = await h.rt.sessions.create('u1');
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await h.rt.producer.enqueueRun({ sessionId: s.sessionId, userId: 'u1', spec: { workflow: 'test.slow', params: { ms } } })).jobId);
  }
  const deadline = Date.now() + 30_000;
  const active = async () => (await Promise.all(ids.map((id) => h.rt.producer.getJob(id)))).every((j) => j.state === 'active');
  while (!(await active())) {
    if (Date.now() > deadline) throw new Error('jobs did not become active');
    await new Promise((r) => setTimeout(r, 50));
  }
  return ids;
}

const exitOf = (child: TestProcess['child']) =>
  new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));

describe('worker process shutdown', () => {
  it('SIGTERM with 20 active jobs exits within DATAOPS_SHUTDOWN_TIMEOUT_MS', async () => {
    const timeoutMs = 3000;
    const { child, out } = await worker({ DATAOPS_SHUTDOWN_TIMEOUT_MS: String(timeoutMs) });
    await activeSlowJobs(20, 60_000);
    const exited = exitOf(child);
    const sent = Date.now();
    child.kill('SIGTERM');
    const { at } = await exited;
    const ms = at - sent;
    // the bound, plus process teardown on a busy machine
    expect(ms, out()).toBeLessThan(timeoutMs + 1500);
    expect(ms).toBeGreaterThanOrEqual(timeoutMs - 2000 - 100);
    expect(out()).toContain('active jobs did not finish in time');
  }, 300_000);

  it('a second signal exits at once, however long the bound', async () => {
    const { child, out } = await worker({ DATAOPS_SHUTDOWN_TIMEOUT_MS: '120000' });
    await activeSlowJobs(20, 60_000);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(child.exitCode).toBeNull();
    const second = Date.now();
    child.kill('SIGTERM');
    const { code, at } = await exited;
    expect(code).toBe(1);
    expect(at - second, out()).toBeLessThan(1500);
    expect(out()).toContain('second signal: exiting now');
  }, 300_000);

  it('jobs that finish within the bound finish, and the process exits 0', async () => {
    const { child, out } = await worker({ DATAOPS_SHUTDOWN_TIMEOUT_MS: '20000' });
    const ids = await activeSlowJobs(3, 1500);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    const { code } = await exited;
    expect(code, out()).toBe(0);
    for (const id of ids) expect((await h.rt.producer.getJob(id)).state).toBe('completed');
  }, 300_000);
});
