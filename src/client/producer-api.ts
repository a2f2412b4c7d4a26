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

/** What `GET /v1/jobs/:id` shows. */
export interface JobStatus {
  jobId: string;
  kind: 'message' | 'run';
  sessionId: string;
  state: JobState;
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
