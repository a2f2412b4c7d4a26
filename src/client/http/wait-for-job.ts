import { TimeoutError } from '../../errors/timeout-error.js';
import { UnreachableError } from '../../errors/unreachable-error.js';
import type { EventStream, WireEvent } from './event-stream.js';

/** The job fields waiting needs (a `GET /v1/jobs/:id` answer). */
export interface WaitableJob {
  jobId: string;
  sessionId: string;
  state: string;
}

export interface WaitForJobOptions {
  /** Give up after this many ms (TimeoutError; the job goes on). Default 600000. */
  timeoutMs?: number;
  /** Poll the job this often, in ms, in case an event is missed or the stream is gone. Default 2000. */
  pollMs?: number;
  /** An open event stream of the job's session to reuse (it is left open). Default: one is opened and closed. */
  stream?: EventStream;
  /** Every event of the session while waiting (progress lines, artifacts). */
  onEvent?: (e: WireEvent) => void;
  /** Stop waiting (rejects with the signal's reason). */
  signal?: AbortSignal;
}

export interface WaitDeps<J extends WaitableJob> {
  getJob(jobId: string): Promise<J>;
  openStream(sessionId: string): Promise<EventStream>;
}

const FINAL = new Set(['completed', 'failed']);
/** Events that mean "this job may have just finished": look at once. */
const ENDINGS = new Set(['reply', 'job.failed', 'run.finished']);

/**
 * Resolves with the job once it is completed or failed (a failed job resolves too: look at `state`).
 * Listens on the session's WebSocket and reads the job when an event says it may be done, polling
 * as a fallback. When the socket closes under it, the job is read at once: a server that is gone
 * rejects with UnreachableError within the client's retry budget instead of waiting for the timeout.
 */
export async function waitForJob<J extends WaitableJob>(deps: WaitDeps<J>, jobId: string, o: WaitForJobOptions = {}): Promise<J> {
  const first = await deps.getJob(jobId);
  if (FINAL.has(first.state)) return first;
  const pollMs = o.pollMs ?? 2000;
  let stream = o.stream;
  let own = false;
  if (!stream) {
    // live events are an optimisation: without them, polling still finishes the wait
    stream = await deps.openStream(first.sessionId).catch(() => undefined);
    own = stream !== undefined;
  }
  return new Promise<J>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let reading = false;
    let again = false;
    const cleanups: (() => void)[] = [];
    const finish = (r: J | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(deadline);
      for (const c of cleanups) c();
      if (own) stream?.close();
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    const schedule = (ms: number) => {
      clearTimeout(timer);
      if (!done) timer = setTimeout(() => void check(), ms);
    };
    let quick = 0;
    const check = async (): Promise<void> => {
      if (done) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        const j = await deps.getJob(jobId);
        if (FINAL.has(j.state)) return finish(j);
      } catch (err) {
        // a server that is gone ends the wait; anything else (a 503 in an outage) is retried by polling
        if (err instanceof UnreachableError) return finish(err);
      } finally {
        reading = false;
      }
      if (again) {
        again = false;
        return check();
      }
      // just after an ending event the job may not be marked finished yet: look again soon
      schedule(quick > 0 ? (quick--, 100) : pollMs);
    };
    const deadline = setTimeout(() => finish(new TimeoutError(`job ${jobId} did not finish within ${Math.round((o.timeoutMs ?? 600_000) / 1000)} s`)), o.timeoutMs ?? 600_000);
    if (stream) {
      cleanups.push(
        stream.subscribe((e) => {
          o.onEvent?.(e);
          if (ENDINGS.has(e.type) && (e.jobId === jobId || e.type === 'run.finished')) {
            quick = 10;
            void check();
          }
        }),
      );
      stream.onClose(() => {
        quick = 0;
        void check();
      });
    }
    if (o.signal) {
      const onAbort = () => finish(o.signal!.reason instanceof Error ? o.signal!.reason : new Error('aborted'));
      if (o.signal.aborted) return onAbort();
      o.signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => o.signal!.removeEventListener('abort', onAbort));
    }
    schedule(pollMs);
  });
}
