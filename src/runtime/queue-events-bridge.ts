import { Job, QueueEvents, type Queue } from 'bullmq';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Services } from '../infra/services.js';
import type { Logger } from '../logger.js';
import type { SessionEvent, SessionEventInput } from './events.js';
import { parseRunJobId, type NodeResult } from './job-data.js';
import { readNodeJobData, tryReadNodeResult } from './job-data-reader.js';
import type { Queues } from './queues.js';

export interface QueueEventsBridgeOptions {
  services: Services;
  queues: Queues;
  artifacts: ArtifactStore;
  /** True when this process has a listener for the session; events of other sessions cost nothing. */
  hasListeners(sessionId: string): boolean;
  /** Hands one event to this process's listeners of the session. */
  deliver(sessionId: string, event: SessionEvent): void;
  log?: Logger;
}

/**
 * Turns BullMQ's own event streams (`QueueEvents` on every node queue and the flows queue of every
 * partition: active, progress,
 * completed, failed) into SessionEvents. Workers write nothing extra for node lifecycle events: the
 * session is read from the job id (`run-<sessionId>-…`), and the job itself is read only when this
 * process has a listener for that session. Works whichever worker process ran the job.
 */
export class QueueEventsBridge {
  private readonly streams: QueueEvents[] = [];
  private order: Promise<void> = Promise.resolve();
  /** Runs whose `run.finished` this process delivered (bounded, oldest dropped first). */
  private readonly finished = new Set<string>();

  constructor(private readonly o: QueueEventsBridgeOptions) {}

  async start(): Promise<void> {
    const base = { connection: this.o.services.bullConnection, prefix: this.o.services.queuePrefix };
    const watched = this.o.queues.partitions.flatMap((p) => [...p.nodeQueues.values(), p.flows]);
    for (const queue of watched) {
      const name = queue.name;
      const qe = new QueueEvents(name, { ...base, prefix: queue.opts.prefix ?? base.prefix });
      qe.on('error', (err) => this.o.log?.warn({ err: err.message, queue: name }, 'queue events error'));
      qe.on('active', ({ jobId }) => this.handle(queue, jobId, 'active'));
      qe.on('progress', ({ jobId, data }) => this.handle(queue, jobId, 'progress', data));
      qe.on('completed', ({ jobId, returnvalue }) => this.handle(queue, jobId, 'completed', returnvalue));
      qe.on('failed', ({ jobId, failedReason }) => this.handle(queue, jobId, 'failed', failedReason));
      this.streams.push(qe);
    }
    await Promise.all(this.streams.map((s) => s.waitUntilReady()));
  }

  async close(): Promise<void> {
    await Promise.all(this.streams.splice(0).map((s) => s.close()));
  }

  /**
   * True the first time a run's end is seen: BullMQ can report a job's failure twice (a stalled job
   * failed by two workers' checks), and a run has exactly one `run.finished`.
   */
  private firstFinish(runId: string): boolean {
    if (this.finished.has(runId)) return false;
    this.finished.add(runId);
    if (this.finished.size > 10_000) this.finished.delete(this.finished.values().next().value!);
    return true;
  }

  private handle(queue: Queue, jobId: string, kind: 'active' | 'progress' | 'completed' | 'failed', payload?: unknown): void {
    const ids = parseRunJobId(jobId);
    if (!ids || !this.o.hasListeners(ids.sessionId)) return;
    // Translations run one after another so events are delivered in the order BullMQ reported them
    // (some need a job read, some do not).
    const translated = this.translate(queue, jobId, ids, kind, payload);
    this.order = this.order
      .then(() => translated)
      .then((events) => {
        for (const e of events) {
          if (e.type === 'run.finished' && !this.firstFinish(e.runId)) continue;
          this.o.deliver(ids.sessionId, { ...e, at: new Date().toISOString() } as SessionEvent);
        }
      })
      .catch((err: unknown) => this.o.log?.debug({ err: (err as Error).message, jobId }, 'could not translate a queue event'));
  }

  private async translate(
    queue: Queue,
    jobId: string,
    ids: { runId: string; step: string | null },
    kind: 'active' | 'progress' | 'completed' | 'failed',
    payload: unknown,
  ): Promise<SessionEventInput[]> {
    if (kind === 'progress') {
      const p = payload as { percent?: unknown; message?: unknown } | number;
      const percent = typeof p === 'number' ? p : Number(p?.percent) || 0;
      const message = typeof p === 'object' && typeof p?.message === 'string' ? p.message : undefined;
      return [{ type: 'job.progress', jobId, progress: percent, ...(message ? { message } : {}) }];
    }
    if (ids.step === null) {
      // a coordinator: only its end is news
      if (kind === 'completed') {
        const r = parseResult(payload);
        return [{ type: 'run.finished', jobId, runId: ids.runId, status: 'completed', artifacts: r?.allArtifacts ?? [] }];
      }
      if (kind === 'failed') return [{ type: 'run.finished', jobId, runId: ids.runId, status: 'failed', artifacts: [], error: String(payload) }];
      return [];
    }
    const job = await Job.fromId(queue, jobId);
    const data = readNodeJobData(job?.data);
    if (!job || !data.success) return [];
    const step = data.data.step;
    const base = { runId: ids.runId, step: step.id, workflow: step.workflow, node: step.node };
    if (kind === 'active') return [{ type: 'node.started', ...base }];
    if (kind === 'failed') {
      // BullMQ has decided by now: a job it will retry is delayed or waiting again, one it gave up on
      // (attempts used up, or an UnrecoverableError) is failed
      const willRetry = (await job.getState()) !== 'failed';
      const events: SessionEventInput[] = [{ type: 'node.failed', ...base, error: String(payload), willRetry }];
      if (data.data.root && !willRetry) events.push({ type: 'run.finished', jobId, runId: ids.runId, status: 'failed', artifacts: [], error: String(payload) });
      return events;
    }
    const r = parseResult(payload);
    const own = r?.artifacts ?? [];
    const events: SessionEventInput[] = [
      { type: 'node.finished', ...base, artifacts: own, ms: job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : 0 },
    ];
    for (const id of own) {
      const a = await this.o.artifacts.peek(id).catch(() => undefined);
      if (a) events.push({ type: 'artifact.created', artifactId: a.artifactId, workflow: a.workflowName, contentType: a.contentType, name: a.name ?? null });
    }
    if (data.data.root) events.push({ type: 'run.finished', jobId, runId: ids.runId, status: 'completed', artifacts: r?.allArtifacts ?? [] });
    return events;
  }
}

function parseResult(payload: unknown): NodeResult | undefined {
  try {
    const value = typeof payload === 'string' ? JSON.parse(payload) : payload;
    return tryReadNodeResult(value);
  } catch {
    return undefined;
  }
}
