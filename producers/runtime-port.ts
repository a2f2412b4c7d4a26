import type { Queue } from 'bullmq';
import type { Readable } from 'node:stream';
import type { Config } from '../src/config.js';
import type { Services } from '../src/infra/services.js';
import type { Artifact, Lineage } from '../src/artifacts/artifact.js';
import type { Message } from '../src/sessions/message.js';
import type { CreateSessionOptions, Session } from '../src/sessions/session.js';
import type {
  EnqueueMessageInput,
  EnqueueMessageResult,
  EnqueueRunInput,
  FlowView,
  JobStatus,
} from '../src/orchestration/engine-api.js';
import type { StepSpec } from '../src/orchestration/run-spec.js';
import type { Checkpoint } from '../src/context/checkpoint.js';
import type { ContextSnapshot } from '../src/context/context-snapshot.js';

/**
 * What the API needs from the runtime (`createRuntime` in src/runtime.ts). Declared structurally so
 * the API depends only on the methods it calls; the real runtime satisfies it, and so can a test.
 */

/** One page of a paginated listing. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null | undefined;
}

export interface ApiSessions {
  create(userId: string, options?: CreateSessionOptions): Promise<Session>;
  get(sessionId: string): Promise<Session>;
  listMessages(sessionId: string, options: { limit?: number; cursor?: string }): Promise<Page<Message>>;
  listUserSessions(userId: string, options: { activeOnly?: boolean; limit?: number; cursor?: string }): Promise<Page<Session>>;
  delete(sessionId: string): Promise<unknown>;
}

export interface ApiArtifacts {
  store(input: {
    sessionId: string;
    workflowName: string;
    artifactType?: Artifact['artifactType'];
    content: Readable;
    contentType?: Artifact['contentType'];
    mimeType?: string;
    createdBy: string;
    description?: string | null;
    tags?: Record<string, string>;
    name?: string | null;
  }): Promise<Artifact>;
  get(artifactId: string): Promise<Artifact>;
  peek(artifactId: string): Promise<Artifact>;
  getContent(artifactId: string): Promise<{ artifact: Artifact; body: Readable }>;
  list(
    sessionId: string,
    options: { workflowName?: string; artifactType?: Artifact['artifactType']; tags?: Record<string, string>; limit?: number; cursor?: string },
  ): Promise<Page<Artifact>>;
  lineage(artifactId: string, options: { direction?: 'ancestors' | 'descendants' | 'both'; maxDepth?: number }): Promise<Lineage>;
  share(artifactId: string, targetSessionId: string, options?: { createdBy?: string }): Promise<Artifact>;
  delete(artifactId: string): Promise<unknown>;
}

export interface ApiContext {
  dumpContext(
    sessionId: string,
    options: { includeArtifacts?: boolean; compress?: boolean; recentMessages?: number; description?: string },
  ): Promise<ContextSnapshot>;
  loadContext(
    snapshotId: string,
    options: { sessionId?: string; strategy?: 'replace' | 'merge' | 'selective'; keys?: string[] },
  ): Promise<Record<string, unknown>>;
  createCheckpoint(sessionId: string, label: string, options?: { overwrite?: boolean }): Promise<Checkpoint>;
  listCheckpoints(sessionId: string): Promise<Checkpoint[]>;
  restoreCheckpoint(sessionId: string, label: string, strategy?: 'replace' | 'merge' | 'selective', keys?: string[]): Promise<Record<string, unknown>>;
  inheritContext(sourceSessionId: string, targetSessionId: string, options?: { keys?: string[] }): Promise<Record<string, unknown>>;
}

/** One capability of the workflow registry, as `GET /v1/workflows` shows it. */
export interface Capability {
  name: string;
  description: string;
  examples: string[];
  inputSchema: Record<string, unknown>;
}

export interface ApiEngine {
  enqueueMessage(input: EnqueueMessageInput): Promise<EnqueueMessageResult>;
  enqueueRun(input: EnqueueRunInput): Promise<{ jobId: string; runId: string; duplicate: boolean }>;
  dryRun(spec: StepSpec): Promise<FlowView> | FlowView;
  /** Throws NotFoundError for an unknown job. */
  getJob(jobId: string): Promise<JobStatus & { userId: string }>;
  /** Every BullMQ queue (Bull Board, /metrics). */
  allQueues(): Queue[];
  registry: { capabilities(): Capability[] };
}

export interface ApiRuntime {
  config: Config;
  services: Services;
  sessions: ApiSessions;
  artifacts: ApiArtifacts;
  context: ApiContext;
  engine: ApiEngine;
}
