import { randomUUID } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import type { Config } from '../config.js';
import { ConflictError } from '../errors/conflict-error.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { OnceRecords, type OnceClaim } from '../idempotency/once-records.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Services } from '../infra/services.js';
import type { Logger } from '../logger.js';
import { newMessageId } from '../sessions/message.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import type { EnqueueMessageInput, EnqueueMessageResult, EnqueueResult, EnqueueRunInput, FlowView, JobOutcome, JobState, JobStatus } from './producer-api.js';
import { publishSessionEvent } from '../runtime/events.js';
import { enqueuePlan, flowView, topJobId } from '../runtime/flow-builder.js';
import type { OrchestratorJobData } from '../assistant/orchestrator.js';
import type { Plan } from '../planning/plan.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { RunPlanner, type RunScope } from './run-planner.js';
import { makeRunId, parseRunJobId } from '../runtime/job-data.js';
import { tryReadNodeResult } from '../runtime/job-data-reader.js';
import { nodeRouting } from '../runtime/node-routing.js';
import { RETENTION, createQueues, type Queues } from '../runtime/queues.js';
import { markCancelled, removeUnstarted } from '../runtime/cancel.js';
import { SessionTurns } from '../runtime/session-turns.js';
import type { StepSpec } from '../planning/run-spec.js';

export interface ProducerOptions {
  services: Services;
  config: Config;
  registry: WorkflowRegistry;
  sessions: SessionManager;
  /** Where the planner reads the kinds and lineage of the artifacts a run names. */
  artifacts: ArtifactStore;
  log: Logger;
  /** How long an idempotency key remembers its job, in seconds. Default 86400 (a day). */
  idempotencyTtlSeconds?: number;
}

/** 12 random hex digits (48 bits) for a run id; randomUUID draws from a cached entropy pool. */
function runSuffix(): string {
  const u = randomUUID();
  return u.slice(0, 8) + u.slice(9, 13);
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * What producers call: enqueue a message or a run, compile a dry run, read a job. It never runs a
 * workflow itself; workers do.
 */
export class Producer {
  readonly queues: Queues;
  readonly registry: WorkflowRegistry;
  /** Checks and compiles runs (artifact kinds, prerequisites, reuse); also for the orchestrator. */
  readonly planner: RunPlanner;
  private readonly services: Services;
  private readonly config: Config;
  private readonly sessions: SessionManager;
  private readonly ttl: number;
  private readonly log: Logger;
  private readonly plans = new Map<string, Plan>();
  private readonly once: OnceRecords;
  private readonly turns: SessionTurns;

  constructor(options: ProducerOptions) {
    this.services = options.services;
    this.config = options.config;
    this.registry = options.registry;
    this.sessions = options.sessions;
    this.ttl = options.idempotencyTtlSeconds ?? 86_400;
    this.log = options.log;
    this.queues = createQueues(options.services, nodeRouting(options.registry, options.config.queues.workflowQueues));
    this.planner = new RunPlanner({
      registry: options.registry,
      artifacts: options.artifacts,
      sessionOwner: async (sessionId) => {
        try {
          return (await options.sessions.get(sessionId)).userId;
        } catch (err) {
          if (err instanceof NotFoundError) return null;
          throw err;
        }
      },
      maxSteps: options.config.planning.maxSteps,
    });
    this.once = new OnceRecords(options.services.redis, options.services.keyPrefix);
    this.turns = new SessionTurns(options.services.redis, options.services, options.config.sessions.ttlHours * 3600_000);
  }

  /**
   * Records the user's message and enqueues its orchestrator job (job id `msg-<messageId>`). With an
   * idempotency key the ids are recorded first (pending), the work is done, then the key is marked
   * done: a repeat of a done key returns the first job (and repairs the message's Redis mirror); a
   * repeat of a pending key — the first attempt died half-way — drives the same work again with the
   * same ids, so it ends with exactly one message and one job.
   */
  async enqueueMessage(input: EnqueueMessageInput): Promise<EnqueueMessageResult> {
    const messageId = newMessageId();
    const proposal = { sessionId: input.sessionId, jobId: `msg-${messageId}`, messageId };
    const claim = await this.claimKey('messages', input.userId, input.idempotencyKey, proposal);
    const ids = claim?.value ?? proposal;
    if (ids.sessionId !== input.sessionId) throw keyReused();
    // Without a key the message id was minted just now: no earlier attempt can have stored it, and
    // the same DynamoDB update takes the reply's seq too (the orchestrator then needs one put).
    let replySeq: OrchestratorJobData['replySeq'];
    const addMessage = () =>
      this.sessions.addMessage(
        input.sessionId,
        { role: 'user', content: input.content, artifacts: input.artifacts, messageId: ids.messageId },
        claim === null ? { fresh: true, reserve: (next) => (replySeq = next) } : {},
      );
    if (claim?.status === 'done') {
      await addMessage(); // the stored message comes back, mirrored into the Redis tail again
      return { jobId: ids.jobId, messageId: ids.messageId, duplicate: true };
    }
    await this.drive(claim, 'messages', input.userId, input.idempotencyKey, ids, async () => {
      await addMessage();
      // The ticket fixes the message's place in its session's order (handled one at a time, in order).
      const turn = await this.turns.register(input.sessionId, ids.jobId);
      const data: OrchestratorJobData = {
        sessionId: input.sessionId,
        userId: input.userId,
        messageId: ids.messageId,
        content: input.content,
        artifacts: input.artifacts,
        phase: 'route',
        turn,
        ...(replySeq ? { replySeq } : {}),
      };
      await this.queues.forSession(input.sessionId).orchestrator.add('message', data, {
        jobId: ids.jobId,
        attempts: 3,
        backoff: { type: 'exponential', delay: this.config.workers.backoffMs },
        ...RETENTION,
      });
    });
    this.notify(input.sessionId, ids.jobId, 'message');
    return { jobId: ids.jobId, messageId: ids.messageId, duplicate: claim !== null && claim.status !== 'new' };
  }

  /**
   * Checks the whole run (parameters, artifact ids and kinds, the step cap), inserts the producers
   * its steps need, and enqueues it as one flow (without the LLM). A bad run fails here, before
   * anything is enqueued or written.
   * Idempotency keys work as for messages: done → the first run; pending → the same run id enqueued
   * again (deterministic job ids: nothing already added is added twice).
   */
  async enqueueRun(input: EnqueueRunInput): Promise<EnqueueResult & { runId: string }> {
    const plan = await this.compile(input.spec, { userId: input.userId, sessionId: input.sessionId });
    const runId = makeRunId(input.sessionId, runSuffix());
    const proposal = { sessionId: input.sessionId, jobId: topJobId(plan, { runId, sessionId: input.sessionId, userId: input.userId }), runId };
    const claim = await this.claimKey('runs', input.userId, input.idempotencyKey, proposal);
    const ids = claim?.value ?? proposal;
    if (ids.sessionId !== input.sessionId) throw keyReused();
    if (claim?.status === 'done') return { jobId: ids.jobId, runId: ids.runId, duplicate: true };
    const run = { runId: ids.runId, sessionId: input.sessionId, userId: input.userId };
    // A re-driven key may meet a different spec: the job id is the one the first attempt chose.
    await this.drive(claim, 'runs', input.userId, input.idempotencyKey, ids, () =>
      enqueuePlan(this.queues, plan, run, this.config.workers, undefined, claim === null || claim.status === 'new'),
    );
    this.notify(input.sessionId, ids.jobId, 'run');
    return { jobId: ids.jobId, runId: ids.runId, duplicate: claim !== null && claim.status !== 'new' };
  }

  /**
   * Compiles a spec for a run of `scope`. Plans of specs that name no artifact depend on nothing
   * but the spec, so the last few are remembered: services tend to send the same spec again and
   * again, and a plan is immutable data.
   */
  private async compile(spec: StepSpec, scope: RunScope): Promise<Plan> {
    const key = JSON.stringify(spec);
    const hit = this.plans.get(key);
    if (hit) {
      this.plans.delete(key);
      this.plans.set(key, hit);
      return hit;
    }
    const { plan, facts } = await this.planner.plan(spec, scope);
    if (Object.keys(facts).length === 0) {
      this.plans.set(key, plan);
      if (this.plans.size > 200) this.plans.delete(this.plans.keys().next().value!);
    }
    return plan;
  }

  /** The flow a spec compiles to for a run of `scope`, with the prerequisites it inserts; nothing is enqueued. */
  async dryRun(spec: StepSpec, scope: RunScope): Promise<FlowView> {
    const plan = await this.compile(spec, scope);
    return flowView(plan, { runId: 'run-dry-run', sessionId: 'dry-run', userId: 'dry-run' }, this.config.workers, this.queues.routing);
  }

  /** The job and its queue; NotFoundError when no queue has it. */
  private async findJob(jobId: string): Promise<{ job: Job; queue: Queue }> {
    if (!/^[A-Za-z0-9_.-]{1,300}$/.test(jobId)) throw new NotFoundError(`job ${jobId} not found`);
    // A run's job id names its session, hence its partition; a message's does not (few partitions to try).
    const run = parseRunJobId(jobId);
    const sets = run ? [this.queues.forSession(run.sessionId)] : this.queues.partitions;
    const candidates: Queue[] = sets.flatMap((set) =>
      jobId.startsWith('msg-') ? [set.orchestrator] : jobId.includes('.') ? [...set.nodeQueues.values()] : [set.flows],
    );
    for (const queue of candidates) {
      const job = await queue.getJob(jobId);
      if (job) return { job, queue };
    }
    throw new NotFoundError(`job ${jobId} not found`);
  }

  /** A job's state and result; NotFoundError when no queue has it. Callers check `userId`. */
  async getJob(jobId: string): Promise<JobStatus & { userId: string }> {
    const { job, queue } = await this.findJob(jobId);
    const state = (await job.getState()) as JobState;
    // Read the job again once it is finished: the first read may predate its result.
    const fresh = state === 'completed' || state === 'failed' ? ((await queue.getJob(jobId)) ?? job) : job;
    return describe(fresh, state, jobId.startsWith('msg-') ? 'message' : 'run');
  }

  /**
   * `getJob`, held until the job has finished (completed or failed) or `waitMs` has passed,
   * whichever comes first; then the state as it is.
   */
  async waitForJob(jobId: string, waitMs: number, pollMs = 200): Promise<JobStatus & { userId: string }> {
    const until = Date.now() + waitMs;
    for (;;) {
      const status = await this.getJob(jobId);
      if (status.state === 'completed' || status.state === 'failed' || Date.now() + pollMs > until) return status;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /**
   * Cancels a job and the run under it: marks the run cancelled (its coordinator adds no more steps
   * and no step with upstream steps starts) and removes every job of it that has not started. Active
   * jobs finish or fail as their policy says. A finished job is left as it is (`cancelled: false`).
   */
  async cancel(jobId: string): Promise<{ jobId: string; cancelled: boolean; removed: number; state: string }> {
    const { job } = await this.findJob(jobId);
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return { jobId, cancelled: false, removed: 0, state };
    const data = job.data as { runId?: string; sessionId?: string; messageId?: string };
    const runId = data.runId ?? (data.sessionId && data.messageId ? makeRunId(data.sessionId, data.messageId) : undefined);
    if (runId) await markCancelled(this.services.redis, this.services.keyPrefix, runId);
    const removed = await removeUnstarted(job, this.queues.all());
    const after = (await job.getState().catch(() => 'unknown')) as string;
    // A removed message job gives up its place in its session's order at once.
    if (after === 'unknown' && typeof (job.data as { turn?: unknown }).turn === 'number' && data.sessionId) {
      await this.turns.release(data.sessionId, jobId);
    }
    this.log.info({ jobId, runId, removed }, 'job cancelled');
    return { jobId, cancelled: true, removed, state: after === 'unknown' && removed > 0 ? 'removed' : after };
  }

  /** Publishes `job.queued` without holding up the caller; a lost notice is logged, never thrown. */
  private notify(sessionId: string, jobId: string, kind: 'message' | 'run'): void {
    publishSessionEvent(this.services.redis, this.services.keyPrefix, sessionId, { type: 'job.queued', jobId, kind }).catch((err: unknown) =>
      this.log.warn({ err: (err as Error).message }, 'could not publish job.queued'),
    );
  }

  /** Every queue (for Bull Board and metrics). */
  allQueues(): Queue[] {
    return this.queues.all();
  }

  async close(): Promise<void> {
    await this.queues.close();
  }

  /**
   * The idempotency record of `key` for this route and user (hashed with both, so `/messages` and
   * `/runs` never share a key and no user id can reach into another's keys), created pending with
   * `proposal` when new. Null when no key was given.
   */
  private async claimKey<T extends { jobId: string; sessionId: string }>(
    route: 'messages' | 'runs',
    userId: string,
    key: string | undefined,
    proposal: T,
  ): Promise<OnceClaim<T> | null> {
    if (key === undefined) return null;
    if (!KEY.test(key)) throw new ValidationError('idempotencyKey must be 1-200 printable ASCII characters');
    return this.once.begin(idempotencyParts(route, userId, key), proposal, this.ttl);
  }

  /**
   * Runs the work of a new or pending key, then marks the key done. A failure leaves the key
   * pending, so the client's retry drives the same work again with the same ids (never a
   * `duplicate` answer naming a job that does not exist, never a second message).
   */
  private async drive<T extends { jobId: string }>(
    claim: OnceClaim<T> | null,
    route: 'messages' | 'runs',
    userId: string,
    key: string | undefined,
    ids: T,
    work: () => Promise<unknown>,
  ): Promise<void> {
    await work();
    if (claim !== null && key !== undefined) await this.once.complete(idempotencyParts(route, userId, key), ids, this.ttl);
  }
}

/** What an idempotency key's record is named by: the route, the user and the key. */
function idempotencyParts(route: 'messages' | 'runs', userId: string, key: string): string[] {
  return ['idempotency-key', route, userId, key];
}

function keyReused(): ConflictError {
  return new ConflictError('this Idempotency-Key was already used for another session');
}

function describe(job: Job, state: JobState, kind: 'message' | 'run'): JobStatus & { userId: string } {
  const data = job.data as { sessionId?: string; userId?: string };
  return {
    jobId: job.id!,
    kind,
    sessionId: data.sessionId ?? '',
    userId: data.userId ?? '',
    state,
    outcome: kind === 'message' ? outcomeOf(job, state) : null,
    progress: job.progress,
    // a step's result is stored compact (empty lists left out); it is shown whole
    result: state !== 'completed' ? null : kind === 'run' ? (tryReadNodeResult(job.returnvalue) ?? job.returnvalue) : job.returnvalue,
    error: state === 'failed' ? job.failedReason ?? 'failed' : null,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

const OUTCOMES = new Set<string>(['succeeded', 'failed', 'asked', 'answered']);

/** A finished message job's outcome: from its result, `failed` when the job itself failed. */
function outcomeOf(job: Job, state: JobState): JobOutcome | null {
  if (state === 'failed') return 'failed';
  if (state !== 'completed') return null;
  const o = (job.returnvalue as { outcome?: unknown } | null)?.outcome;
  return typeof o === 'string' && OUTCOMES.has(o) ? (o as JobOutcome) : null;
}
