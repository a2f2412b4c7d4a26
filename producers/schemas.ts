import { z } from 'zod';
import { ArtifactId, ArtifactType, ContentKind } from '../src/artifacts/artifact.js';
import { ArtifactView } from './artifact-view.js';
import { PlannedPrerequisite, ReusedArtifact } from '../src/planning/plan.js';
import { Message } from '../src/sessions/message.js';
import { CreateSessionOptions, Session, SessionId, SessionUpdate } from '../src/sessions/session.js';
import { RunRequest, StepSpec } from '../src/planning/run-spec.js';
import { MessageOutcome, OrchestratorResult } from '../src/assistant/orchestrator-result.js';
import { NodeResult } from '../src/runtime/job-data.js';
import { MessageRequest } from '../src/client/requests.js';
import { Checkpoint, CheckpointLabel } from '../src/context/checkpoint.js';
import { ContextSnapshot, LoadStrategy, SnapshotSummary } from '../src/context/context-snapshot.js';
import { SNAPSHOT_TAG, SNAPSHOT_WORKFLOW } from '../src/context/snapshot-codec.js';

/*
 * The API's request and response schemas. Requests are validated with them (strict: unknown fields
 * are a 400) and /openapi.json is generated from the very same objects.
 */

// ---------- path parameters ----------

export const SessionParams = z.object({ id: SessionId }).strict();
export const ArtifactParams = z.object({ id: ArtifactId }).strict();
/** BullMQ job ids as the engine issues them (letters, digits, `_ . : -`). */
export const JobId = z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/, 'expected a job id');
export const JobParams = z.object({ jobId: JobId }).strict();
/** A snapshot id is the id of the artifact that stores it. */
export const SnapshotParams = z.object({ id: SessionId, snapshotId: ArtifactId }).strict();
export const CheckpointParams = z.object({ id: SessionId, label: CheckpointLabel }).strict();

// ---------- query strings ----------

const limit = z.coerce.number().int().min(1).max(100).optional().describe("Page size, 1-100. Default: 20 for sessions, 50 otherwise.");
const cursor = z.string().min(1).max(2000).optional().describe('`nextCursor` of the previous page.');
const boolString = z.enum(['true', 'false']).transform((v) => v === 'true');

/** `?tag=key:value` (repeatable) → `{ key: value }`. */
const tagQuery = z
  .union([z.string(), z.array(z.string())])
  .transform((raw, ctx) => {
    const out: Record<string, string> = {};
    for (const t of Array.isArray(raw) ? raw : [raw]) {
      const i = t.indexOf(':');
      if (i <= 0 || i > 128 || t.length - i - 1 > 1024) {
        ctx.addIssue({ code: 'custom', message: 'each tag is key:value' });
        return z.NEVER;
      }
      out[t.slice(0, i)] = t.slice(i + 1);
    }
    return out;
  })
  .optional()
  .describe('`key:value`; repeat for several tags (all must match).');

export const PageQuery = z.object({ limit, cursor }).strict();
export const ListSessionsQuery = z
  .object({ limit, cursor, active: boolString.optional().describe('Only active sessions. Default false: every session, expired ones included.') })
  .strict();
export const ListArtifactsQuery = z
  .object({ limit, cursor, workflowName: z.string().min(1).max(200).optional(), artifactType: ArtifactType.optional(), tag: tagQuery })
  .strict();
export const UploadQuery = z
  .object({
    name: z.string().min(1).max(1024).optional().describe('File name. Default: the multipart filename.'),
    workflowName: z.string().min(1).max(200).optional().describe('Default `upload`.'),
    artifactType: ArtifactType.optional().describe('Default `data`.'),
    contentType: ContentKind.optional().describe("Coarse kind; default from the name's extension or the media type."),
    description: z.string().max(4000).optional(),
    tag: tagQuery,
  })
  .strict()
  .superRefine((q, ctx) => {
    // Context snapshots are written by the context manager only: an upload cannot pose as one.
    const reserved = 'is reserved for context snapshots, which only the context manager writes';
    if (q.artifactType === 'context') ctx.addIssue({ code: 'custom', path: ['artifactType'], message: `artifactType "context" ${reserved}` });
    if (q.workflowName === SNAPSHOT_WORKFLOW) ctx.addIssue({ code: 'custom', path: ['workflowName'], message: `workflowName "${SNAPSHOT_WORKFLOW}" ${reserved}` });
    if (q.tag?.kind === SNAPSHOT_TAG.kind) ctx.addIssue({ code: 'custom', path: ['tag'], message: `tag kind:${SNAPSHOT_TAG.kind} ${reserved}` });
  });
export const LineageQuery = z
  .object({
    direction: z.enum(['ancestors', 'descendants', 'both']).optional(),
    maxDepth: z.coerce.number().int().min(0).max(100).optional(),
  })
  .strict();
export const RunQuery = z.object({ dryRun: boolString.optional().describe('Compile and return the flow; enqueue nothing.') }).strict();
export const EmptyQuery = z.object({}).strict();

// ---------- bodies ----------

/** An idempotency key, and the message body: shared with the in-network producer (src/client/requests.ts). */
export { IdempotencyKey } from '../src/client/requests.js';

export const CreateSessionBody = CreateSessionOptions;
export const PostMessageBody = MessageRequest;
export const RunBody = RunRequest;
/** What a client may change on its session (the rest is the assistant's bookkeeping). */
export const UpdateSessionBody = z
  .object({
    preferences: SessionUpdate.shape.preferences,
    globalContext: SessionUpdate.shape.globalContext.describe('Replaces the stored globalContext.'),
    metadata: SessionUpdate.shape.metadata.describe('Free-form; `metadata.title` is shown as the session name by the web app.'),
  })
  .strict()
  .refine((b) => b.preferences !== undefined || b.globalContext !== undefined || b.metadata !== undefined, 'give at least one of preferences, globalContext, metadata');
export const LinkArtifactBody = z.object({ parentId: ArtifactId.describe('The artifact this one was derived from.') }).strict();
export const CompressBody = z
  .object({
    maxTokens: z.number().int().min(16).max(100_000).optional().describe('Target size of the compressed context. Default 1000.'),
    save: z
      .boolean()
      .optional()
      .describe('Replace the stored globalContext with the compressed one (a checkpoint named `before-compress-<time>` keeps the original). Default false: only return it.'),
  })
  .strict();
export const CompressResponse = z
  .object({
    globalContext: z.record(z.string(), z.unknown()),
    saved: z.boolean(),
    checkpoint: z.string().nullable().describe('Label of the checkpoint holding the uncompressed context, when saved.'),
  })
  .strict();
export const JobWaitQuery = z
  .object({
    wait: z.coerce
      .number()
      .int()
      .min(0)
      .max(60)
      .optional()
      .describe('Hold the answer up to this many seconds until the job has finished (completed or failed). Default 0: answer at once.'),
  })
  .strict();
export const CancelResponse = z
  .object({
    jobId: z.string(),
    cancelled: z.boolean().describe('False when the job had already finished.'),
    removed: z.number().int().describe('Waiting jobs of the run removed from their queues.'),
    state: z.string().describe('State of the job after the request.'),
  })
  .strict();
export const ShareBody = z.object({ targetSessionId: SessionId }).strict();
export const SnapshotBody = z
  .object({
    includeArtifacts: z.boolean().optional().describe("List the session's artifacts in the snapshot. Default true."),
    compress: z.boolean().optional().describe('Store gzip-compressed. Default false.'),
    recentMessages: z.number().int().min(0).max(1000).optional().describe('Include this many newest messages. Default 0.'),
    description: z.string().max(4000).optional(),
  })
  .strict();
const contextKeys = z.array(z.string().min(1).max(256)).min(1).max(1000);
const needsKeys = (b: { strategy?: string | undefined; keys?: string[] | undefined }) => b.strategy !== 'selective' || (b.keys?.length ?? 0) > 0;
export const LoadSnapshotBody = z
  .object({ strategy: LoadStrategy.describe('How the snapshot meets the session context.'), keys: contextKeys.optional() })
  .strict()
  .refine(needsKeys, { message: 'strategy "selective" needs a non-empty keys list', path: ['keys'] });
export const CheckpointBody = z
  .object({ label: CheckpointLabel, overwrite: z.boolean().optional().describe('Replace a checkpoint of this label. Default false (409).') })
  .strict();
export const RestoreBody = z
  .object({ strategy: LoadStrategy.optional().describe('Default `replace`.'), keys: contextKeys.optional() })
  .strict()
  .refine(needsKeys, { message: 'strategy "selective" needs a non-empty keys list', path: ['keys'] });
export const InheritBody = z.object({ sourceSessionId: SessionId, keys: contextKeys.optional() }).strict();
export const EmptyBody = z.object({}).strict();

// ---------- responses ----------

export const ErrorResponse = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }).strict() })
  .strict();
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() }).strict();
export const SessionPage = page(Session);
export const MessagePage = page(Message);
export const ArtifactPage = page(ArtifactView);
export const MessageAccepted = z
  .object({ messageId: z.string(), jobId: z.string(), duplicate: z.boolean().describe('An earlier request had this idempotency key.') })
  .strict();
export const RunAccepted = z.object({ jobId: z.string(), runId: z.string(), duplicate: z.boolean() }).strict();
/** What a run's top job returns: the state after its last step, each workflow's outputs, every artifact it made. */
export const RunJobResult = NodeResult.pick({ state: true, outputs: true, allArtifacts: true, failed: true, skipped: true }).loose();
export const JobStatusResponse = z
  .object({
    jobId: z.string(),
    kind: z.enum(['message', 'run']),
    sessionId: z.string(),
    state: z.enum(['waiting', 'waiting-children', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'unknown']),
    outcome: MessageOutcome.nullable().describe(
      'Message jobs, once finished: succeeded (its run finished), failed (its run or the job failed; a message job whose run failed still has state completed and a reply saying which step failed and why), asked (a question for missing parameters), answered (a reply without a run: capabilities, out of scope). Null until then, and for run jobs.',
    ),
    progress: z
      .union([z.number(), z.object({ percent: z.number(), message: z.string() }).partial()])
      .describe('0-100, or { percent, message } from a node; 0 before the job starts.'),
    result: z
      .union([OrchestratorResult, RunJobResult])
      .nullable()
      .describe('Once completed: for a message job (`msg-…`) the reply and its outcome; for a run, its merged state, outputs and artifact ids.'),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .strict();
export const FlowViewResponse = z
  .object({
    mode: z.enum(['tree', 'coordinator']),
    steps: z.array(
      z
        .object({
          id: z.string(),
          workflow: z.string(),
          node: z.string(),
          dependsOn: z.array(z.string()),
          onFailure: z.enum(['fail', 'ignore']),
          conditional: z.boolean(),
          prerequisite: z.boolean().describe('The planner inserted this step: a producer another step needs.'),
        })
        .strict(),
    ),
    prerequisites: z
      .array(PlannedPrerequisite)
      .describe('Producers the planner inserted because a step was given an artifact of an earlier kind (a raw JIL is parsed first).'),
    reused: z.array(ReusedArtifact).describe('Derived artifacts the session already had, used instead of running their producer again.'),
    tree: z.unknown(),
  })
  .strict();
export const WorkflowsResponse = z
  .object({
    workflows: z.array(
      z.object({ name: z.string(), description: z.string(), examples: z.array(z.string()), inputSchema: z.record(z.string(), z.unknown()) }).strict(),
    ),
  })
  .strict();
export const LineageResponse = z
  .object({
    artifact: ArtifactView,
    ancestors: z.array(ArtifactView),
    descendants: z.array(ArtifactView),
    edges: z.array(z.object({ parent: ArtifactId, child: ArtifactId }).strict()),
  })
  .strict();
export const SnapshotResponse = ContextSnapshot;
/** The session's globalContext after the operation. */
export const ContextResult = z.object({ globalContext: z.record(z.string(), z.unknown()) }).strict();
export const CheckpointList = z.object({ items: z.array(Checkpoint) }).strict();
export const SnapshotList = z.object({ items: z.array(SnapshotSummary) }).strict();
export const HealthResponse = z.object({ status: z.literal('ok') }).strict();
export const ReadyResponse = z
  .object({ status: z.enum(['ready', 'unavailable']), checks: z.record(z.string(), z.enum(['ok', 'failed'])) })
  .strict();

/** Named schemas (OpenAPI components); the request-side ones are converted as inputs. */
export const NAMED_SCHEMAS: [string, z.ZodType][] = [
  ['Session', Session],
  ['Message', Message],
  ['Artifact', ArtifactView],
  ['Checkpoint', Checkpoint],
  ['ContextSnapshot', ContextSnapshot],
  ['Error', ErrorResponse],
  ['MessageJobResult', OrchestratorResult],
  ['RunJobResult', RunJobResult],
];
export const NAMED_REQUEST_SCHEMAS: [string, z.ZodType][] = [
  ['StepSpec', StepSpec],
  ['RunRequest', RunRequest],
];
