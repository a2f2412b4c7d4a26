import type { JobStatus } from '../../src/client/producer-api.js';
import type { Producer } from '../../src/client/producer.js';

/** Polls a job until it is completed or failed; throws after `timeoutMs`. */
export async function waitForJob(producer: Producer, jobId: string, timeoutMs = 30_000): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await producer.getJob(jobId).catch(() => undefined);
    if (s && (s.state === 'completed' || s.state === 'failed')) return s;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${s?.state ?? 'missing'} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
