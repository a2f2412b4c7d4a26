import type { StepSpec } from '../planning/run-spec.js';
import type { PlannedPrerequisite, ReusedArtifact } from '../planning/plan.js';

/** Input of `Producer.enqueueMessage`: one user message to the assistant. */
export interface EnqueueMessageInput {
  sessionId: string;
  userId: string;
  content: string;
  /** Artifact ids attached to the message (already owned by the caller). */
  artifacts: string[];
  /** Same key twice (per user) → the first job, nothing new enqueued. */
  idempotencyKey?: string | undefined;
}

export interface EnqueueResult {
  jobId: string;
  /** True when an idempotency key matched an earlier request. */
  duplicate: boolean;
}

export interface EnqueueMessageResult extends EnqueueResult {
  messageId: string;
}

export interface EnqueueRunInput {
  sessionId: string;
  userId: string;
  spec: StepSpec;
  idempotencyKey?: string | undefined;
}

export type JobState = 'waiting' | 'waiting-children' | 'active' | 'delayed' | 'completed' | 'failed' | 'prioritized' | 'unknown';

/**
 * How a finished message job ended, beside its `state` (a message whose run failed still completes:
 * its reply says what failed). `succeeded`: the run finished; `failed`: the run (or the job) failed;
 * `asked`: a question for missing parameters; `answered`: a reply without a run (capabilities, out of
 * scope). Null while the job is not finished, and for run jobs.
 */
export type JobOutcome = 'succeeded' | 'failed' | 'asked' | 'answered';

/** What `GET /v1/jobs/:id` shows. */
export interface JobStatus {
  jobId: string;
  kind: 'message' | 'run';
  sessionId: string;
  state: JobState;
  /** Message jobs: how the message ended once finished (see JobOutcome); null otherwise. */
  outcome: JobOutcome | null;
  progress: unknown;
  result: unknown;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A compiled run as shown by a dry run: the BullMQ flow tree (or coordinator plan), nothing enqueued. */
export interface FlowView {
  mode: 'tree' | 'coordinator';
  steps: {
    id: string;
    workflow: string;
    node: string;
    dependsOn: string[];
    onFailure: 'fail' | 'ignore';
    conditional: boolean;
    /** The planner inserted this step (a producer another step needs). */
    prerequisite: boolean;
  }[];
  /** Producers the planner inserted because a step was given an artifact of an earlier kind. */
  prerequisites: PlannedPrerequisite[];
  /** Derived artifacts the session already had, used instead of running their producer again. */
  reused: ReusedArtifact[];
  /** The FlowProducer tree (tree mode) or the coordinator job with its planned children. */
  tree: unknown;
}
