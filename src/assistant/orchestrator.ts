import { UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import { z } from 'zod';
import type { Redis } from 'ioredis';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Config } from '../config.js';
import type { LlmClient, ArtifactHint } from '../llm/llm.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Session } from '../sessions/session.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { CANCELLED_MESSAGE, isCancelled } from '../runtime/cancel.js';
import { publishSessionEvent, publishTerminalEvent, runStepViews } from '../runtime/events.js';
import type { OrchestratorResult } from './orchestrator-result.js';

export type { OrchestratorResult } from './orchestrator-result.js';
import { enqueuePlan, topJobId } from '../runtime/flow-builder.js';
import { OnceRecords } from '../idempotency/once-records.js';
import { childResults } from '../runtime/node-runner.js';
import { compilePlan, type Plan } from '../planning/plan.js';
import { makeRunId, type RunContext } from '../runtime/job-data.js';
import type { Queues } from '../runtime/queues.js';
import { failedRunReply, missingParamsReply, runReply, unknownRequestReply } from './reply.js';
import { findMissing } from './missing-params.js';

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
    tool: z.string().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    runId: z.string().optional(),
    /** The message's ticket in its session's order (see runtime/session-order.ts). */
    turn: z.number().int().positive().optional(),
  })
  .strict();
export type OrchestratorJobData = z.infer<typeof OrchestratorJobData>;

/** What an orchestrator job returns (and `GET /v1/jobs/:id` shows). */
export interface OrchestratorDeps {
  registry: WorkflowRegistry;
  sessions: SessionManager;
  artifacts: ArtifactStore;
  llm: LlmClient;
  queues: Queues;
  redis: Redis;
  keyPrefix: string;
  workers: Config['workers'];
  /**
   * The session as prompt text, its context compressed for the prompt (never in storage) when the
   * session prefers so and passes the budget. Default: the uncompressed summary.
   */
  promptSummary?: (sessionId: string, maxMessages: number) => Promise<string>;
  log: Logger;
}

/**
 * The processor of the `orchestrator` queue: a user message → intent → parameters → either a
 * question for everything missing, or a run started as this job's child; when the run finishes the
 * job wakes up, replies, and records the reply in the session.
 */
export function createOrchestratorProcessor(deps: OrchestratorDeps) {
  return async (job: Job, token?: string): Promise<OrchestratorResult> => {
    const parsed = OrchestratorJobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid orchestrator job data: ${parsed.error.message}`);
    const d = parsed.data;
    const replyId = `${d.messageId}.reply`;
    if (d.phase === 'route') {
      const routed = await route(deps, d, job);
      if (routed.kind === 'reply') return finish(deps, job, d, replyId, routed.text, routed.outcome, routed.tool, []);
      Object.assign(d, { phase: 'run', tool: routed.tool, params: routed.params, runId: makeRunId(d.sessionId, d.messageId) });
      await job.updateData(d);
    }
    // phase 'run': (re-)enqueue idempotently, then wait for the run as this job's child.
    const tool = d.tool!;
    const plan = compilePlan({ workflow: tool, params: d.params ?? {} }, deps.registry);
    const run = { runId: d.runId!, sessionId: d.sessionId, userId: d.userId };
    // a cancelled run is never (re-)started: its removed jobs would otherwise be added again
    if (await isCancelled(deps.redis, deps.keyPrefix, run.runId)) {
      const finished = (await childResults(job)).results[0];
      if (finished) return finish(deps, job, d, replyId, runReply(tool, finished, deps.registry, plan.instances), 'ran', tool, finished.allArtifacts);
      return finish(deps, job, d, replyId, failedRunReply(tool, CANCELLED_MESSAGE), 'failed', tool, []);
    }
    const added = await startRunOnce(deps, job, plan, run);
    if (added) {
      await publishSessionEvent(deps.redis, deps.keyPrefix, d.sessionId, {
        type: 'run.started',
        jobId: job.id!,
        runId: run.runId,
        workflow: tool,
        nodes: plan.steps.map((s) => s.id),
        steps: runStepViews(plan),
      });
    }
    if (!token) throw new Error('the orchestrator needs a worker token');
    if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
    const { results, failed } = await childResults(job);
    const result = results[0];
    if (!result) {
      // run.finished (failed) was already sent for the run's own last job; the reply says what failed.
      const error = failed[0]?.error ?? 'the run ended without a result';
      return finish(deps, job, d, replyId, failedRunReply(tool, error), 'failed', tool, []);
    }
    const text = runReply(tool, result, deps.registry, plan.instances);
    return finish(deps, job, d, replyId, text, 'ran', tool, result.allArtifacts);
  };
}

/**
 * Records progress on the job (GET /v1/jobs/:id) and sends it to the session's listeners: the
 * QueueEvents bridge only sees run jobs, whose ids name their session.
 */
async function reportProgress(deps: OrchestratorDeps, job: Job, sessionId: string, percent: number, message: string): Promise<void> {
  await job.updateProgress(percent);
  await publishSessionEvent(deps.redis, deps.keyPrefix, sessionId, { type: 'job.progress', jobId: job.id!, progress: percent, message });
}

/**
 * How long a run's start record is kept: longer than any orchestrator job that could start it is
 * kept (failed jobs stay a week and may be retried), so no retry ever finds it gone.
 */
export const RUN_START_TTL_SECONDS = 8 * 24 * 3600;

/**
 * Adds the run as this job's child exactly once, recorded durably in an exactly-once record: once
 * added, a retried or woken job never adds it again, even after BullMQ's retention trimmed the
 * finished run's jobs (the job-existence check alone would then start the run a second time).
 * A record still pending (the job died right after the add) is re-driven; the parent's own list of
 * finished children tells a run that already ran from one that never got added.
 */
async function startRunOnce(deps: OrchestratorDeps, job: Job, plan: Plan, run: RunContext): Promise<boolean> {
  const once = new OnceRecords(deps.redis, deps.keyPrefix);
  const parts = ['run-start', run.runId];
  const record = await once.begin(parts, { jobId: topJobId(plan, run) }, RUN_START_TTL_SECONDS);
  if (record.status === 'done') return false;
  let added = false;
  if (!(await hasFinishedChild(job, record.value.jobId))) {
    ({ added } = await enqueuePlan(deps.queues, plan, run, deps.workers, { id: job.id!, queue: job.queueQualifiedName }));
  }
  await once.complete(parts, record.value, RUN_START_TTL_SECONDS);
  return added;
}

/** True when `childJobId` already finished as a child of `job` (processed, failed or ignored). */
async function hasFinishedChild(job: Job, childJobId: string): Promise<boolean> {
  const deps = await job.getDependencies();
  const keys = [...Object.keys(deps.processed ?? {}), ...Object.keys(deps.ignored ?? {}), ...(deps.failed ?? [])];
  return keys.some((k) => k.slice(k.lastIndexOf(':') + 1) === childJobId);
}

type Routed =
  | { kind: 'reply'; text: string; outcome: 'asked' | 'unknown'; tool: string | null }
  | { kind: 'run'; tool: string; params: Record<string, unknown> };

async function route(deps: OrchestratorDeps, d: OrchestratorJobData, job: Job): Promise<Routed> {
  // Producer.enqueueMessage recorded the user's message (under d.messageId) before enqueueing this job.
  const session = await deps.sessions.get(d.sessionId);
  await reportProgress(deps, job, d.sessionId, 10, 'reading the session');
  const maxMessages = session.preferences.maxContextMessages;
  const contextSummary = deps.promptSummary
    ? await deps.promptSummary(d.sessionId, maxMessages)
    : await deps.sessions.getContextSummary(d.sessionId, maxMessages);
  const pending = session.pendingRequest ?? null;
  const decision = await deps.llm.route({
    message: d.content,
    contextSummary,
    tools: deps.registry.toolSpecs(),
    artifacts: await artifactHints(deps, session, d.artifacts),
    preferredWorkflows: session.preferences.preferredWorkflows,
    model: deps.sessions.modelFor(session),
    ...(pending ? { pendingWorkflow: pending.workflow, pendingParams: pending.missing } : {}),
  });
  await reportProgress(deps, job, d.sessionId, 30, 'request understood');
  if (!decision.tool && pending && d.artifacts.length && isKnown(deps.registry, pending.workflow)) {
    // "here it is" + an attachment answers the pending question: attachments fill its missing artifact parameters.
    const schema = deps.registry.getChain(pending.workflow)?.input ?? deps.registry.get(pending.workflow).input;
    const params = attachmentsFor(schema, pending.missing, d.artifacts);
    if (Object.keys(params).length) Object.assign(decision, { tool: pending.workflow, params, reason: 'attachments answer the pending question' });
  }
  if (!decision.tool || !isKnown(deps.registry, decision.tool)) {
    return { kind: 'reply', text: unknownRequestReply(deps.registry.capabilities()), outcome: 'unknown', tool: null };
  }
  const tool = decision.tool;
  const continuing = pending?.workflow === tool;
  const params = { ...(continuing ? pending!.params : {}), ...decision.params };
  const schema = deps.registry.getChain(tool)?.input ?? deps.registry.get(tool).input;
  const check = findMissing(schema, params);
  if (check.missing.length || check.problems.length) {
    // Conditional on the version routing read: a session changed meanwhile is a ConflictError, and the retry routes afresh.
    await deps.sessions.updateWith(
      d.sessionId,
      () => ({
        pendingRequest: { workflow: tool, params: check.valid, missing: check.missing.map((m) => m.name), askedAt: new Date().toISOString(), messageId: `${d.messageId}.reply` },
      }),
      { ifVersion: session.version },
    );
    return { kind: 'reply', text: missingParamsReply(tool, check.missing, check.problems), outcome: 'asked', tool };
  }
  // A complete request: any pending question (for this or another workflow) is settled.
  if (pending) await deps.sessions.updateWith(d.sessionId, () => ({ pendingRequest: null }), { ifVersion: session.version });
  return { kind: 'run', tool, params: check.valid };
}

/** Attached artifact ids, in order, for the missing parameters that take an artifact (`x-artifact`). */
function attachmentsFor(schema: z.ZodObject, missing: string[], attached: string[]): Record<string, string> {
  const queue = [...attached];
  const out: Record<string, string> = {};
  for (const name of missing) {
    const meta = ((schema.shape[name] as z.ZodType | undefined)?.meta?.() ?? {}) as Record<string, unknown>;
    if (meta['x-artifact'] === true && queue.length) out[name] = queue.shift()!;
  }
  return out;
}

function isKnown(registry: WorkflowRegistry, name: string): boolean {
  return registry.has(name) || Boolean(registry.getChain(name));
}

/** Attached artifacts first (only the session's own), then the session's most recent ones. */
async function artifactHints(deps: OrchestratorDeps, session: Session, attached: string[]): Promise<ArtifactHint[]> {
  const ids = [...new Set([...attached, ...session.artifactRefs.slice(-5).reverse()])];
  const hints: ArtifactHint[] = [];
  for (const id of ids) {
    try {
      const a = await deps.artifacts.peek(id);
      if (a.sessionId !== session.sessionId) continue;
      hints.push({ artifactId: a.artifactId, name: a.name ?? null, contentType: a.contentType, workflowName: a.workflowName });
    } catch {
      // deleted or expired: not offered to the router
    }
  }
  return hints;
}

async function finish(
  deps: OrchestratorDeps,
  job: Job,
  d: OrchestratorJobData,
  replyId: string,
  text: string,
  outcome: OrchestratorResult['outcome'],
  tool: string | null,
  artifacts: string[],
): Promise<OrchestratorResult> {
  await deps.sessions.addMessage(d.sessionId, {
    role: 'assistant',
    content: text,
    workflow: tool,
    artifacts,
    messageId: replyId,
    metadata: { jobId: job.id, outcome, ...(d.runId ? { runId: d.runId } : {}) },
  });
  if (artifacts.length) {
    await deps.sessions.updateWith(d.sessionId, (s) => ({ artifactRefs: [...new Set([...s.artifactRefs, ...artifacts])].slice(-500) }));
  }
  await publishTerminalEvent(deps.redis, deps.keyPrefix, d.sessionId, job.id!, {
    type: 'reply',
    jobId: job.id!,
    messageId: replyId,
    content: text,
    workflow: tool,
    artifacts,
  });
  return { reply: text, replyMessageId: replyId, outcome, workflow: tool, artifacts, runId: d.runId ?? null };
}
