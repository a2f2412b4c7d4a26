import { randomBytes } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import type { Config } from '../config.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Services } from '../infra/services.js';
import type { Logger } from '../logger.js';
import { newMessageId } from '../sessions/message.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import type { EnqueueMessageInput, EnqueueMessageResult, EnqueueResult, EnqueueRunInput, FlowView, JobState, JobStatus } from './producer-api.js';
import { publishSessionEvent } from '../runtime/events.js';
import { enqueuePlan, flowView, topJobId } from '../runtime/flow-builder.js';
import type { OrchestratorJobData } from '../assistant/orchestrator.js';
import { compilePlan, type Plan } from '../planning/plan.js';
import { makeRunId } from '../runtime/job-data.js';
import { RETENTION, createQueues, type Queues } from '../runtime/queues.js';
import type { StepSpec } from '../planning/run-spec.js';

export interface ProducerOptions {
  services: Services;
  config: Config;
  registry: WorkflowRegistry;
  sessions: SessionManager;
  log: Logger;
  /** How long an idempotency key remembers its job, in seconds. Default 86400 (a day). */
  idempotencyTtlSeconds?: number;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * What producers call: enqueue a message or a run, compile a dry run, read a job. It never runs a
 * workflow itself; workers do.
 */
export class Producer {
  readonly queues: Queues;
  readonly registry: WorkflowRegistry;
  private readonly services: Services;
  private readonly config: Config;
  private readonly sessions: SessionManager;
  private readonly ttl: number;
  private readonly log: Logger;
  private readonly plans = new Map<string, Plan>();

  constructor(options: ProducerOptions) {
    this.services = options.services;
    this.config = options.config;
    this.registry = options.registry;
    this.sessions = options.sessions;
    this.ttl = options.idempotencyTtlSeconds ?? 86_400;
    this.log = options.log;
    this.queues = createQueues(options.services);
  }

  /** Records the user's message and enqueues its orchestrator job (job id `msg-<messageId>`). */
  async enqueueMessage(input: EnqueueMessageInput): Promise<EnqueueMessageResult> {
    const messageId = newMessageId();
    const jobId = `msg-${messageId}`;
    const prior = await this.claimKey(input.userId, input.idempotencyKey, { jobId, messageId });
    if (prior) return { jobId: prior.jobId, messageId: prior.messageId ?? '', duplicate: true };
    await this.sessions.addMessage(input.sessionId, { role: 'user', content: input.content, artifacts: input.artifacts, messageId });
    const data: OrchestratorJobData = {
      sessionId: input.sessionId,
      userId: input.userId,
      messageId,
      content: input.content,
      artifacts: input.artifacts,
      phase: 'route',
    };
    await this.queues.orchestrator.add('message', data, { jobId, attempts: 3, backoff: { type: 'exponential', delay: this.config.workers.backoffMs }, ...RETENTION });
    this.notify(input.sessionId, jobId, 'message');
    return { jobId, messageId, duplicate: false };
  }

  /** Compiles and enqueues a run (without the LLM). Bad specs fail here, before anything is enqueued. */
  async enqueueRun(input: EnqueueRunInput): Promise<EnqueueResult & { runId: string }> {
    const plan = this.compile(input.spec);
    const runId = makeRunId(input.sessionId, randomBytes(6).toString('hex'));
    const run = { runId, sessionId: input.sessionId, userId: input.userId };
    const jobId = topJobId(plan, run);
    const prior = await this.claimKey(input.userId, input.idempotencyKey, { jobId, runId });
    if (prior) return { jobId: prior.jobId, runId: prior.runId ?? '', duplicate: true };
    await enqueuePlan(this.queues, plan, run, this.config.workers, undefined, true);
    this.notify(input.sessionId, jobId, 'run');
    return { jobId, runId, duplicate: false };
  }

  /**
   * Compiles a spec, remembering the last few plans: services tend to send the same spec again and
   * again, and a plan is immutable data.
   */
  private compile(spec: StepSpec): Plan {
    const key = JSON.stringify(spec);
    const hit = this.plans.get(key);
    if (hit) {
      this.plans.delete(key);
      this.plans.set(key, hit);
      return hit;
    }
    const plan = compilePlan(spec, this.registry);
    this.plans.set(key, plan);
    if (this.plans.size > 200) this.plans.delete(this.plans.keys().next().value!);
    return plan;
  }

  /** The flow a spec compiles to; nothing is enqueued. */
  dryRun(spec: StepSpec): FlowView {
    const plan = this.compile(spec);
    return flowView(plan, { runId: 'run-dry-run', sessionId: 'dry-run', userId: 'dry-run' }, this.config.workers);
  }

  /** A job's state and result; NotFoundError when no queue has it. Callers check `userId`. */
  async getJob(jobId: string): Promise<JobStatus & { userId: string }> {
    if (!/^[A-Za-z0-9_.-]{1,300}$/.test(jobId)) throw new NotFoundError(`job ${jobId} not found`);
    const candidates: Queue[] = jobId.startsWith('msg-')
      ? [this.queues.orchestrator]
      : jobId.includes('.')
        ? [this.queues.nodes]
        : [this.queues.flows];
    for (const q of candidates) {
      const job = await q.getJob(jobId);
      if (!job) continue;
      const state = (await job.getState()) as JobState;
      // Read the job again once it is finished: the first read may predate its result.
      const fresh = state === 'completed' || state === 'failed' ? ((await q.getJob(jobId)) ?? job) : job;
      return describe(fresh, state, jobId.startsWith('msg-') ? 'message' : 'run');
    }
    throw new NotFoundError(`job ${jobId} not found`);
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
   * `SET key value NX EX ttl`: the first caller with a key wins; later ones get the first value.
   * Returns the earlier value, or null when this call claimed the key (or none was given).
   */
  private async claimKey<T extends { jobId: string }>(userId: string, key: string | undefined, value: T): Promise<T | null> {
    if (key === undefined) return null;
    if (!KEY.test(key)) throw new ValidationError('idempotencyKey must be 1-200 printable ASCII characters');
    const redisKey = `${this.services.keyPrefix}idem:${userId}:${key}`;
    const ok = await this.services.redis.set(redisKey, JSON.stringify(value), 'EX', this.ttl, 'NX');
    if (ok === 'OK') return null;
    const prior = await this.services.redis.get(redisKey);
    return prior ? (JSON.parse(prior) as T) : null;
  }
}

function describe(job: Job, state: JobState, kind: 'message' | 'run'): JobStatus & { userId: string } {
  const data = job.data as { sessionId?: string; userId?: string };
  return {
    jobId: job.id!,
    kind,
    sessionId: data.sessionId ?? '',
    userId: data.userId ?? '',
    state,
    progress: job.progress,
    result: state === 'completed' ? job.returnvalue : null,
    error: state === 'failed' ? job.failedReason ?? 'failed' : null,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
