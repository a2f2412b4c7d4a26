import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness;
const children: ChildProcess[] = [];

beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await h?.cleanup();
});

async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-process.ts'], {
    env: { ...process.env, ...h.t.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const deadline = Date.now() + 30_000;
  while (!out.includes('ready')) {
    if (child.exitCode !== null) throw new Error(`worker process exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('worker process did not become ready');
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

describe('crash recovery', () => {
  it('completes a flow after its worker process is SIGKILLed mid-node and a new worker starts', async () => {
    const first = await startWorkerProcess();
    const session = await h.rt.sessions.create('u1');
    const { jobId } = await h.rt.producer.enqueueRun({
      sessionId: session.sessionId,
      userId: 'u1',
      spec: { sequence: [{ workflow: 'test.numbers', params: { start: 1 } }, { workflow: 'test.slow', params: { ms: 1500 } }, { workflow: 'test.sum' }] },
    });
    // wait until the slow node is running in the first process, then kill it without warning
    const deadline = Date.now() + 20_000;
    while ((await h.runs('test.slow.wait')) < 1) {
      if (Date.now() > deadline) throw new Error('slow node never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill('SIGKILL');
    await once(first, 'exit');
    expect((await h.rt.producer.getJob(jobId)).state).not.toBe('completed');

    await startWorkerProcess();
    const status = await h.waitForJob(jobId, 40_000);
    expect(status.state).toBe('completed');
    expect((status.result as { outputs: Record<string, unknown> }).outputs['test_sum']).toEqual({ total: 6 });
    // the interrupted node ran again in the new process; the finished one did not
    expect(await h.runs('test.slow.wait')).toBe(2);
    expect(await h.runs('test.numbers.make')).toBe(1);
  }, 90_000);
});
