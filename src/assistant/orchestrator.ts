import { UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import { z } from 'zod';
import type { RedisClient } from '../infra/redis.js';
import type { Session } from '../sessions/session.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Config } from '../config.js';
import { Intent, type LlmClient } from '../llm/llm.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { CANCELLED_MESSAGE, isCancelled } from '../runtime/cancel.js';
import { publishSessionEvent, publishTerminalEvent, runStepViews } from '../runtime/events.js';
import type { MessageOutcome, OrchestratorResult } from './orchestrator-result.js';
import { enqueuePlan, topJobId } from '../runtime/flow-builder.js';
import { OnceRecords, type OnceClaim } from '../idempotency/once-records.js';
import { childResults } from '../runtime/node-runner.js';
import { Plan } from '../planning/plan.js';
import type { RunPlanner } from '../client/run-planner.js';
import { AppError } from '../errors/app-error.js';
import { makeRunId, type RunContext } from '../runtime/job-data.js';
import type { Queues } from '../runtime/queues.js';
import { describeFailure } from './failure-cause.js';
import { runAnswers } from './answers.js';
import { cancelledReply, cannotPlanReply, failedRunReply, runReply } from './reply.js';
import { userCause } from './failure-cause.js';
import { routeMessage } from './route-message.js';
import { rootFailure } from './run-failure.js';

/** `job.data` of an orchestrator job: one user message. */
export const OrchestratorJobData = z
  .object({
    sessionId: z.string(),
    userId: z.string(),
    messageId: z.string(),
    content: z.string(),
    artifacts: z.array(z.string()).default([]),
    /** `route` until a run is started; then `run` (persisted, so a crash resumes in the right place). */
    phase: z.enum(['route', 'run']).default('route'),
    /**
     * The question as understood, when it differs from `content`: a follow-up naming only a new
     * subject ("and SALES_STAGE_LOAD?") is the previous question about it (set with phase `run`).
     */
    question: z.string().optional(),
    /** What the message asked for, in the user's order (set with phase `run`). */
    intents: z.array(Intent).optional(),
    /** The planned run: one flow for every intent (set with phase `run`; a retry enqueues exactly this). */
    plan: Plan.optional(),
    runId: z.string().optional(),
    /** The message's ticket in its session's order (see runtime/session-order.ts). */
    turn: z.number().int().positive().optional(),
    /** The seq reserved for the reply (kept here, so a retried job puts the reply at the same seq). */
    replySeq: z.object({ seq: z.number().int().positive(), timestamp: z.string(), expired: z.boolean() }).strict().optional(),
  })
  .strict();
export type OrchestratorJobData = z.infer<typeof OrchestratorJobData>;

export { MessageOutcome, OrchestratorResult } from './orchestrator-result.js';

export interface OrchestratorDeps {
  registry: WorkflowRegistry;
  sessions: SessionManager;
  artifacts: ArtifactStore;
  llm: LlmClient;
  queues: Queues;
  redis: RedisClient;
  keyPrefix: string;
  workers: Config['workers'];
  /**
   * The session as prompt text, its context compressed for the prompt (never in storage) when the
   * session prefers so and passes the budget. Default: the uncompressed summary.
   */
  promptSummary?: (sessionId: string, maxMessages: number, session: Session) => Promise<string>;
  /** Checks and compiles the intents into one run: kinds, prerequisites, reuse (the producer's). */
  planner: Pick<RunPlanner, 'planIntents'>;
  /** What the capability answer says the assistant reads ("AutoSys JIL exports (.jil)"). Default none. */
  formats?: string[];
  log: Logger;
}

/**
 * The processor of the `orchestrator` queue: a user message → intents → parameters → either a
 * reply (capabilities, out of scope, a question for everything missing), or one run for every
 * intent, started as this job's child; when the run finishes the job wakes up, replies, and
 * records the reply in the session.
 */
export function createOrchestratorProcessor(deps: OrchestratorDeps) {
  return async (job: Job, token?: string): Promise<OrchestratorResult> => {
    const parsed = OrchestratorJobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid orchestrator job data: ${parsed.error.message}`);
    const d = parsed.data;
    const replyId = `${d.messageId}.reply`;
    // A job that starts in phase run was woken by its finished run (or is retried): its result is read at once.
    const woken = d.phase === 'run';
    if (d.phase === 'route') {
      const routed = await routeMessage(deps, d, job);
      if (routed.kind === 'reply') return finish(deps, job, d, replyId, routed.text, routed.outcome, routed.workflow, [], []);
      let planned: Plan;
      try {
        // Every intent in ONE plan: inserted prerequisites, shared steps once, derived artifacts reused.
        const intents = routed.intents.map((i) => ({ workflow: i.tool, params: i.params }));
        planned = (await deps.planner.planIntents(intents, { userId: d.userId, sessionId: d.sessionId })).plan;
      } catch (err) {
        // A request the planner cannot make into a run (a file of the wrong kind, an id that is gone): say so, run nothing.
        if (!(err instanceof AppError) || !USER_ERRORS.has(err.code)) throw err;
        const names = await artifactNames(deps, d.artifacts);
        const text = cannotPlanReply(routed.intents[0]!.tool, userCause(err.message, names));
        return finish(deps, job, d, replyId, text, 'asked', routed.intents[0]!.tool, [], []);
      }
      Object.assign(d, { phase: 'run', intents: routed.intents, plan: planned, runId: makeRunId(d.sessionId, d.messageId), ...(routed.question ? { question: routed.question } : {}) });
      await job.updateData(d);
    }
    // phase 'run': (re-)enqueue idempotently, then wait for the run as this job's child.
    const intents = d.intents ?? [];
    // "csv.profile ×2" for a request run once per attached file
    const times = new Map<string, number>();
    for (const i of intents) times.set(i.tool, (times.get(i.tool) ?? 0) + 1);
    const title = [...times].map(([tool, n]) => (n > 1 ? `${tool} ×${n}` : tool)).join(' + ') || 'run';
    if (!d.plan) throw new UnrecoverableError('orchestrator job in phase run without a plan');
    const plan = d.plan;
    const workflows = planWorkflows(plan);
    const run = { runId: d.runId!, sessionId: d.sessionId, userId: d.userId };
    const first = intents[0]?.tool ?? null;
    // a cancelled run is never (re-)started: its removed jobs would otherwise be added again
    // (the start record is opened at the same time; a cancelled run leaves it pending, unused)
    const once = new OnceRecords(deps.redis, deps.keyPrefix);
    const startParts = ['run-start', run.runId];
    const [cancelled, record, before] = await Promise.all([
      isCancelled(deps.redis, deps.keyPrefix, run.runId),
      once.begin(startParts, { jobId: topJobId(plan, run) }, RUN_START_TTL_SECONDS),
      woken ? childResults(job) : undefined,
    ]);
    if (cancelled) {
      const finished = (before ?? (await childResults(job))).results[0];
      if (finished) return finish(deps, job, d, replyId, runReply(title, finished, deps.registry, plan), 'succeeded', first, workflows, finished.allArtifacts);
      return finish(deps, job, d, replyId, cancelledReply(title), 'failed', first, workflows, []);
    }
    /** Starts the run (once), then waits for it as this job's child; the result once it has ended. */
    const startAndWait = async () => {
      const added = record.status !== 'done' && (await startRun(deps, job, plan, run, record));
      if (!token) throw new Error('the orchestrator needs a worker token');
      // the start record, the run.started event and the wait for the run go out together
      const [, , waiting] = await Promise.all([
        record.status === 'done' ? undefined : once.complete(startParts, record.value, RUN_START_TTL_SECONDS),
        added
          ? publishSessionEvent(deps.redis, deps.keyPrefix, d.sessionId, {
              type: 'run.started',
              jobId: job.id!,
              runId: run.runId,
              workflow: intents[0]?.tool ?? title,
              nodes: plan.steps.map((s) => s.id),
              steps: runStepViews(plan),
            })
          : undefined,
        job.moveToWaitingChildren(token),
      ]);
      if (waiting) throw new WaitingChildrenError();
      return childResults(job);
    };
    // woken by the run's end: nothing to start or wait for
    const ended = record.status === 'done' && before && (before.results.length > 0 || before.failed.length > 0) ? before : undefined;
    const { results, failed } = ended ?? (await startAndWait());
    const result = results[0];
    if (!result) {
      const root = await rootFailure(deps.queues, failed[0] ?? { step: '', error: 'the run ended without a result' });
      if (root.error.includes(CANCELLED_MESSAGE)) return finish(deps, job, d, replyId, cancelledReply(title), 'failed', first, workflows, []);
      // run.finished (failed) was already sent for the run's own last job; the reply says what failed.
      const names = await artifactNames(deps, d.artifacts);
      const report = describeFailure({ step: root.step, error: root.error, instances: plan.instances, artifactNames: names }, deps.registry);
      return finish(deps, job, d, replyId, failedRunReply(report), 'failed', first, workflows, []);
    }
    const answers = await runAnswers(d.question ?? d.content, result, plan, deps, { userId: d.userId, sessionId: d.sessionId });
    const text = [...answers, runReply(title, result, deps.registry, plan)].join('\n\n');
    return finish(deps, job, d, replyId, text, 'succeeded', first, workflows, result.allArtifacts);
  };
}

/**
 * How long a run's start record is kept: longer than any orchestrator job that could start it is
 * kept (failed jobs stay a week and may be retried), so no retry ever finds it gone.
 */
export const RUN_START_TTL_SECONDS = 8 * 24 * 3600;

/**
 * Adds the run as this job's child exactly once, recorded durably in an exactly-once record
 * (`run-start`, opened by the caller and completed after this): once added, a retried or woken job
 * never adds it again, even after BullMQ's retention trimmed the finished run's jobs (the
 * job-existence check alone would then start the run a second time). A record still pending (the
 * job died right after the add) is re-driven; the parent's own list of finished children tells a
 * run that already ran from one that never got added.
 */
async function startRun(deps: OrchestratorDeps, job: Job, plan: Plan, run: RunContext, record: OnceClaim<{ jobId: string }>): Promise<boolean> {
  // A new record: no attempt before this one got as far as the add, so there is nothing to look for.
  const fresh = record.status === 'new';
  if (!fresh && (await hasFinishedChild(job, record.value.jobId))) return false;
  return (await enqueuePlan(deps.queues, plan, run, deps.workers, { id: job.id!, queue: job.queueQualifiedName }, fresh)).added;
}

/** True when `childJobId` already finished as a child of `job` (processed, failed or ignored). */
async function hasFinishedChild(job: Job, childJobId: string): Promise<boolean> {
  const deps = await job.getDependencies();
  const keys = [...Object.keys(deps.processed ?? {}), ...Object.keys(deps.ignored ?? {}), ...(deps.failed ?? [])];
  return keys.some((k) => k.slice(k.lastIndexOf(':') + 1) === childJobId);
}

/** Planning errors that are the request's fault (answered, not retried). */
const USER_ERRORS = new Set(['validation_error', 'not_found', 'cycle', 'forbidden', 'payload_too_large']);

/** The workflow of every instance, in the order the steps run (prerequisites before what reads them). */
function planWorkflows(plan: Plan): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of plan.steps) {
    const wf = plan.instances[s.instance];
    if (!wf || seen.has(s.instance)) continue;
    seen.add(s.instance);
    out.push(wf);
  }
  return out;
}

/** File names of the attached artifacts, to name them in a failure reply. */
async function artifactNames(deps: OrchestratorDeps, ids: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of ids) {
    const a = await deps.artifacts.peek(id).catch(() => null);
    if (a?.name) out[id] = a.name;
  }
  return out;
}

async function finish(
  deps: OrchestratorDeps,
  job: Job,
  d: OrchestratorJobData,
  replyId: string,
  text: string,
  outcome: MessageOutcome,
  workflow: string | null,
  workflows: string[],
  artifacts: string[],
): Promise<OrchestratorResult> {
  // The reply's seq is taken once and kept in the job's data: a retry puts the reply at the same
  // seq (a conditional put), so it is stored once without a claim item.
  let seq = (job.data as OrchestratorJobData).replySeq;
  if (!seq) {
    seq = await deps.sessions.reserveSeq(d.sessionId);
    await job.updateData({ ...(job.data as OrchestratorJobData), replySeq: seq });
  }
  await deps.sessions.addMessage(
    d.sessionId,
    {
      role: 'assistant',
      content: text,
      workflow,
      artifacts,
      messageId: replyId,
      metadata: { jobId: job.id, outcome, ...(workflows.length ? { workflows } : {}), ...(d.runId ? { runId: d.runId } : {}) },
    },
    { seq },
  );
  if (artifacts.length) {
    // Newest last (a reused artifact moves to the end): "it" in the next message means the most recent.
    await deps.sessions.updateWith(d.sessionId, (s) => ({ artifactRefs: [...s.artifactRefs.filter((r) => !artifacts.includes(r)), ...artifacts].slice(-500) }));
  }
  await publishTerminalEvent(deps.redis, deps.keyPrefix, d.sessionId, job.id!, {
    type: 'reply',
    jobId: job.id!,
    messageId: replyId,
    content: text,
    workflow,
    artifacts,
  });
  return { reply: text, replyMessageId: replyId, outcome, workflow, workflows, artifacts, runId: d.runId ?? null };
}
