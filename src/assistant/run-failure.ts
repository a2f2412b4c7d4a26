import type { Job } from 'bullmq';
import type { Queues } from '../runtime/queues.js';
import { parseRunJobId } from '../runtime/job-data.js';

/** A job key or id in a BullMQ "child … failed" style reason. */
const CHILD_REF = /(?:\{?[\w-]+\}?:(?:nodes|flows):)?(run-sess_[\w-]+(?:\.[\w.-]+)?)/;

/**
 * The failure that started it all: a parent's reason that points at a failed child (by Redis key or
 * job id) is followed down to that child's own reason, a few levels at most. Returns the step id of
 * the job that really failed (null when it is not a step) and its reason.
 */
export async function rootFailure(queues: Queues, failed: { step: string; error: string }): Promise<{ step: string | null; error: string }> {
  let step: string | null = stepOf(failed.step);
  let error = failed.error;
  for (let depth = 0; depth < 8; depth++) {
    const m = CHILD_REF.exec(error);
    if (!m) break;
    const jobId = m[1]!;
    const ids = parseRunJobId(jobId);
    if (!ids) break;
    // the child is in its session's partition, on its workflow's node queue or the coordinators'
    const set = queues.forSession(ids.sessionId);
    let job: Job | undefined;
    for (const queue of [...set.nodeQueues.values(), set.flows]) if ((job = await queue.getJob(jobId))) break;
    if (!job?.failedReason || job.failedReason === error) break;
    step = ids.step ?? step;
    error = job.failedReason;
  }
  return { step, error };
}

/** A plan step id (`instance.node`) from what the runtime reports, or null for a run's coordinator id. */
function stepOf(step: string): string | null {
  return step.startsWith('run-') || !step.includes('.') ? null : step;
}
