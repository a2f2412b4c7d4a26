import { Job, type Queue } from 'bullmq';
import type { RedisClient } from '../infra/redis.js';

/** How long a cancel mark is kept: longer than any run waits in a queue. */
const CANCEL_TTL_SECONDS = 7 * 24 * 3600;

/** Message of the error a cancelled run's jobs fail with (what the user reads in the reply). */
export const CANCELLED_MESSAGE = 'cancelled at your request';

const cancelKey = (keyPrefix: string, runId: string) => `${keyPrefix}cancel:${runId}`;

/** Marks a run as cancelled: its coordinator adds no more steps, and no node with upstream steps starts. */
export async function markCancelled(redis: RedisClient, keyPrefix: string, runId: string): Promise<void> {
  await redis.set(cancelKey(keyPrefix, runId), '1', 'EX', CANCEL_TTL_SECONDS);
}

export async function isCancelled(redis: RedisClient, keyPrefix: string, runId: string): Promise<boolean> {
  return (await redis.exists(cancelKey(keyPrefix, runId))) === 1;
}

/** States in which a job has not started and can simply be taken off its queue. */
const REMOVABLE = new Set(['waiting', 'delayed', 'prioritized', 'paused']);

/**
 * Removes every job of the tree under `job` that has not started (BullMQ removal: a parent whose
 * last pending child goes wakes up and sees the cancel mark). Active jobs finish or fail as their
 * policy says; finished ones are left as they are. Returns how many jobs were removed.
 */
export async function removeUnstarted(job: Job, queues: Queue[]): Promise<number> {
  const state = await job.getState();
  let removed = 0;
  if (state === 'waiting-children') {
    for (const key of await unprocessedChildren(job)) {
      const child = await jobOfKey(key, queues);
      if (child) removed += await removeUnstarted(child, queues);
    }
    return removed;
  }
  if (!REMOVABLE.has(state)) return 0;
  try {
    await job.remove();
    return 1;
  } catch {
    // it started (or finished) in between: it runs to its end
    return 0;
  }
}

async function unprocessedChildren(job: Job): Promise<string[]> {
  const keys: string[] = [];
  let cursor = 0;
  do {
    const page = await job.getDependencies({ unprocessed: { cursor, count: 500 } });
    keys.push(...(page.unprocessed ?? []));
    cursor = page.nextUnprocessedCursor ?? 0;
  } while (cursor);
  return keys;
}

/** `<prefix>:<queue>:<jobId>` → the job, from whichever of `queues` owns the key. */
async function jobOfKey(key: string, queues: Queue[]): Promise<Job | undefined> {
  for (const q of queues) {
    const head = `${q.opts.prefix ?? 'bull'}:${q.name}:`;
    if (key.startsWith(head)) return (await Job.fromId(q, key.slice(head.length))) ?? undefined;
  }
  return undefined;
}
