/*
 * The API's shapes as the browser sees them (a subset of GET /openapi.json: the fields this app reads).
 */

export interface Session {
  sessionId: string;
  userId: string;
  createdAt: string;
  lastActive: string;
  messageCount: number;
  status: string;
  metadata: Record<string, unknown>;
}

export interface Message {
  messageId: string;
  sessionId: string;
  seq: number;
  timestamp: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  workflow: string | null;
  artifacts: string[];
}

export interface Artifact {
  artifactId: string;
  sessionId: string;
  workflowName: string;
  artifactType: string;
  contentType: string;
  mimeType: string;
  sizeBytes: number;
  createdAt: string;
  createdBy: string;
  description: string | null;
  parentArtifacts: string[];
  childArtifacts: string[];
  derivedFrom: string | null;
  tags: Record<string, string>;
  name: string | null;
  /** What the content is (raw JIL, CSV profile, DDL…), when the server records it. */
  kind?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Checkpoint {
  label: string;
  snapshotId: string;
  createdAt: string;
}

export interface Lineage {
  artifact: Artifact;
  ancestors: Artifact[];
  descendants: Artifact[];
  edges: { parent: string; child: string }[];
}

export interface MessageAccepted {
  messageId: string;
  jobId: string;
  duplicate: boolean;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** One step of a run's plan, as the run.started event describes it. */
export interface PlanStepView {
  id: string;
  workflow: string;
  node: string;
  dependsOn: string[];
  /** Added by the planner to produce what a requested step needs (a parse before a convert). */
  inserted?: boolean;
}

/** Events on /v1/sessions/:id/events (src/runtime/events.ts). */
export type SessionEvent =
  | { type: 'subscribed'; sessionId: string }
  | { type: 'job.queued'; jobId: string; kind: 'message' | 'run'; at: string }
  | { type: 'job.progress'; jobId: string; progress: number; message?: string; at: string }
  | { type: 'run.started'; jobId: string; runId: string; workflow: string; nodes: string[]; steps?: PlanStepView[]; at: string }
  | { type: 'node.started'; runId: string; step: string; workflow: string; node: string; at: string }
  | { type: 'node.finished'; runId: string; step: string; workflow: string; node: string; artifacts: string[]; ms: number; at: string }
  | { type: 'node.failed'; runId: string; step: string; workflow: string; node: string; error: string; willRetry: boolean; at: string }
  | { type: 'node.skipped'; runId: string; step: string; reason: string; at: string }
  | { type: 'artifact.created'; artifactId: string; workflow: string; contentType: string; name: string | null; at: string }
  | { type: 'run.finished'; jobId: string; runId: string; status: 'completed' | 'failed'; artifacts: string[]; error?: string; at: string }
  | { type: 'reply'; jobId: string; messageId: string; content: string; workflow: string | null; artifacts: string[]; at: string }
  | { type: 'job.failed'; jobId: string; error: string; at: string };
