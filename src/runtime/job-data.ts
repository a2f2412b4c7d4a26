import { z } from 'zod';
import { Plan, PlanStep } from '../planning/plan.js';

const State = z.record(z.string(), z.unknown());

/** What every node job returns; small by rule (large data lives in artifacts). */
export const NodeResult = z
  .object({
    step: z.string(),
    instance: z.string(),
    workflow: z.string(),
    node: z.string(),
    /** Everything upstream merged with this node's output: what dependents start from. */
    state: State,
    /** Output of each workflow instance so far (for `$from` and conditions). */
    outputs: z.record(z.string(), State),
    /** Artifacts this node created. */
    artifacts: z.array(z.string()),
    /** Artifacts created by this node and everything upstream of it. */
    allArtifacts: z.array(z.string()),
    /** Steps upstream that failed under an `ignore` policy. */
    failed: z.array(z.object({ step: z.string(), error: z.string() }).strict()),
    /** Steps upstream that were skipped by a condition. */
    skipped: z.array(z.string()),
  })
  .strict();
export type NodeResult = z.infer<typeof NodeResult>;

/** Who started a run; the same on every job of it. */
export const RunContext = z
  .object({
    runId: z.string().regex(/^[A-Za-z0-9_-]+$/),
    sessionId: z.string(),
    userId: z.string(),
  })
  .strict();
export type RunContext = z.infer<typeof RunContext>;

/** `job.data` of a node job (queue `nodes`). */
export const NodeJobData = RunContext.extend({
  step: PlanStep,
  /** Results of dependencies, when a coordinator (not a flow tree) runs the plan. */
  inputs: z.record(z.string(), NodeResult).default({}),
  /** Skipped / failed upstream steps known to the coordinator. */
  skipped: z.array(z.string()).default([]),
  /** True for the last job of a run (it publishes `run.finished`). */
  root: z.boolean().default(false),
  /** Besides `inputs`, some dependencies are this job's BullMQ children (a subtree a coordinator added). */
  children: z.boolean().default(false),
}).strict();
export type NodeJobData = z.infer<typeof NodeJobData>;
/** What a producer writes: defaults may be left out. */
export type NodeJobDataInput = z.input<typeof NodeJobData>;

/** `job.data` of a coordinator job (queue `flows`). */
export const CoordinatorJobData = RunContext.extend({
  plan: Plan,
  /** Steps decided as skipped so far (persisted so a crash loses nothing). */
  skipped: z.array(z.string()).default([]),
  /**
   * Once every step left forms one tree, the coordinator adds it whole as one BullMQ flow under
   * `root` (its child) and wakes once, when the root is done; `steps` are the steps it covers.
   */
  tree: z.object({ root: z.string(), steps: z.array(z.string()) }).strict().optional(),
}).strict();
export type CoordinatorJobData = z.infer<typeof CoordinatorJobData>;

/** The result a run's top job returns (the root node's result or the coordinator's). */
export type RunResult = Pick<NodeResult, 'state' | 'outputs' | 'allArtifacts' | 'failed' | 'skipped'>;

/**
 * A run id names its session: `run-<sessionId>-<suffix>`. Every job id of the run starts with it,
 * so a listener can tell a job's session from BullMQ's own events without reading the job.
 */
export function makeRunId(sessionId: string, suffix: string): string {
  return `run-${sessionId}-${suffix.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

const RUN_JOB_ID = /^run-(sess_[0-9a-f-]{36})-([A-Za-z0-9_-]+?)(?:\.(.+))?$/;

/** The session, run and step a run's job id belongs to; null for other ids. */
export function parseRunJobId(jobId: string): { sessionId: string; runId: string; step: string | null } | null {
  const m = RUN_JOB_ID.exec(jobId);
  if (!m) return null;
  const dot = jobId.indexOf('.');
  return { sessionId: m[1]!, runId: dot < 0 ? jobId : jobId.slice(0, dot), step: dot < 0 ? null : jobId.slice(dot + 1) };
}

/** `runId.stepId` — deterministic, so a retried add finds the job it already made. */
export function stepJobId(runId: string, stepId: string): string {
  return `${runId}.${stepId}`;
}
