import { DelayedError, UnrecoverableError, WaitingChildrenError, WaitingError, type Job, type Processor, type Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import type { SessionTurns, TurnHead } from './session-turns.js';

export interface SessionOrderOptions {
  turns: SessionTurns;
  /**
   * The orchestrator queue of a session's partition, the one its jobs are on (to look up the turn
   * holder's state and wake its successor): `Queues.forSession(id).orchestrator`.
   */
  queueFor(sessionId: string): Queue;
  /**
   * How long a job that is not its session's turn waits before looking again, in ms. The holder
   * wakes its successor as it finishes, so this only matters after a crash. Default 1000.
   */
  pollMs?: number;
  /**
   * How long after its ticket a holder whose job does not exist is taken for dead (the producer
   * died between ticket and enqueue), in ms. Default 30000.
   */
  missingGraceMs?: number;
  log?: Logger;
}

const FINAL = new Set(['completed', 'failed', 'unknown']);

/**
 * Wraps the orchestrator's processor so one session's messages are handled one at a time, in the
 * order they were accepted, by any number of workers in any number of processes.
 *
 * A job with a ticket (`job.data.turn`, taken by the producer) runs only when its ticket is the
 * session's lowest unfinished one; otherwise it moves itself back to delayed (no attempt spent) and
 * looks again when its predecessor finishes and promotes it, or after `pollMs`. The turn is held
 * through the whole message, including the run it starts (a run's reply is part of the message),
 * and given up when the job completes or fails for good. Crash-safe: a holder that is completed,
 * failed, or missing past `missingGraceMs` is skipped by whichever waiter sees it, so a dead job's
 * turn never blocks the session. A job that finished its turn leaves its result behind, so a run of
 * the same job after a stall returns it rather than handling the message again, out of order.
 * Jobs without a ticket (enqueued before tickets existed) run at once.
 */
export function inSessionOrder(processor: Processor, o: SessionOrderOptions): Processor {
  const pollMs = o.pollMs ?? 1000;
  const graceMs = o.missingGraceMs ?? 30_000;

  /** True when `job` holds its session's turn (skipping dead holders first). */
  const myTurn = async (sessionId: string, job: Job, firstLook?: TurnHead | null): Promise<boolean> => {
    for (let i = 0; i < 100; i++) {
      const head = i === 0 && firstLook !== undefined ? firstLook : await o.turns.head(sessionId);
      if (!head || head.jobId === job.id) return true;
      const holder = await o.queueFor(sessionId).getJob(head.jobId);
      const state = holder ? await holder.getState() : 'missing';
      const dead = FINAL.has(state) || (state === 'missing' && Date.now() - head.takenAtMs > graceMs);
      if (!dead) return false;
      o.log?.warn({ sessionId, jobId: head.jobId, state }, 'skipping the turn of a finished or lost message job');
      await o.turns.skip(sessionId, head.jobId);
    }
    return false;
  };

  const handOff = async (sessionId: string, job: Job, result?: unknown): Promise<void> => {
    const next = await o.turns.release(sessionId, job.id!, result);
    if (!next) return;
    const successor = await o.queueFor(sessionId).getJob(next);
    if (successor && (await successor.isDelayed())) await successor.promote().catch(() => undefined); // it may have moved on meanwhile
  };

  return async (job: Job, token?: string) => {
    const data = job.data as { sessionId?: unknown; turn?: unknown };
    if (typeof data.sessionId !== 'string' || typeof data.turn !== 'number') return processor(job, token);
    const sessionId = data.sessionId;
    // A run of a job that already finished its turn (it stalled after finishing, and BullMQ ran it
    // again) returns the recorded result: handling the message twice would reorder the conversation.
    // both looks in one round trip's wait
    const [prior, head] = await Promise.all([o.turns.finished(sessionId, job.id!), o.turns.head(sessionId)]);
    if (prior !== undefined) return prior;
    if (!(await myTurn(sessionId, job, head))) {
      await job.moveToDelayed(Date.now() + pollMs, token);
      // The holder may have finished between our look and our move (its promote found us still
      // active): look once more now that we are delayed, and wake ourselves if the turn is ours.
      if ((await o.turns.head(sessionId))?.jobId === job.id) await job.promote().catch(() => undefined);
      throw new DelayedError();
    }
    let result: unknown;
    try {
      result = await processor(job, token);
    } catch (err) {
      if (err instanceof DelayedError || err instanceof WaitingChildrenError || err instanceof WaitingError) throw err;
      const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (final) await handOff(sessionId, job).catch((e: unknown) => o.log?.warn({ sessionId, err: (e as Error).message }, 'could not hand the turn on'));
      throw err;
    }
    await handOff(sessionId, job, result ?? null);
    return result;
  };
}
