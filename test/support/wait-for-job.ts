import type { JobStatus } from '../../src/orchestration/engine-api.js';
import type { Engine } from '../../src/orchestration/engine.js';

/** Polls a job until it is completed or failed; throws after `timeoutMs`. */
export async function waitForJob(engine: Engine, jobId: string, timeoutMs = 30_000): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await engine.getJob(jobId).catch(() => undefined);
    if (s && (s.state === 'completed' || s.state === 'failed')) return s;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${s?.state ?? 'missing'} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
