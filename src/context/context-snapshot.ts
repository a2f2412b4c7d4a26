import { z } from 'zod';

const JsonRecord = z.record(z.string(), z.unknown());

/** The orchestrator's part of a session at the moment of the snapshot. */
export const OrchestratorState = z
  .object({
    globalContext: JsonRecord,
    activeWorkflows: z.array(z.string()),
    /** The session's own `artifactRefs` list. */
    artifactRefs: z.array(z.string()),
    messageCount: z.number().int().min(0),
    /** The newest messages (oldest first), when the dump asked for them. Kept loose so old snapshots stay readable. */
    recentMessages: z.array(JsonRecord).optional(),
  })
  .strict();
export type OrchestratorState = z.infer<typeof OrchestratorState>;

/**
 * A session's context frozen in time. It is stored as an artifact of type `context` (tag
 * `kind=context_snapshot`), and `snapshotId` IS that artifact's id, so whatever `dumpContext`
 * returns `loadContext` can load.
 */
export const ContextSnapshot = z
  .object({
    /** The artifact id of the stored snapshot (`art_…`). */
    snapshotId: z.string(),
    sessionId: z.string(),
    createdAt: z.iso.datetime(),
    orchestratorState: OrchestratorState,
    /** Per-workflow state handed to the dump (default {}). */
    workflowStates: JsonRecord,
    /** The session's artifacts in the store when dumped (context snapshots excluded); [] without includeArtifacts. */
    artifactRefs: z.array(z.string()),
    /** Whether the stored bytes are gzip. */
    compressed: z.boolean(),
    /** Bytes of the snapshot's JSON. */
    originalSize: z.number().int().min(0),
    /** Bytes actually stored (gzip size when compressed, else originalSize). */
    compressedSize: z.number().int().min(0),
  })
  .strict();
export type ContextSnapshot = z.infer<typeof ContextSnapshot>;

/**
 * What is written to the artifact: the snapshot minus the fields only known after writing
 * (its id is the artifact id; the sizes are the artifact's and are kept in its tags).
 */
export const StoredSnapshot = ContextSnapshot.omit({ snapshotId: true, compressed: true, originalSize: true, compressedSize: true })
  .extend({ format: z.literal(1) })
  .strict();
export type StoredSnapshot = z.infer<typeof StoredSnapshot>;

/**
 * How a snapshot's globalContext meets the session's:
 * - `replace`: the session's globalContext becomes the snapshot's.
 * - `merge`: deep merge — plain objects merge key by key, recursively; on any other conflict
 *   (scalars, arrays, type mismatch) the snapshot's value wins; keys only the session has stay.
 * - `selective`: only `keys` (required, non-empty) are copied from the snapshot (a key the snapshot
 *   lacks is removed from the session); everything else in the session stays.
 */
export const LoadStrategy = z.enum(['replace', 'merge', 'selective']);
export type LoadStrategy = z.infer<typeof LoadStrategy>;

const ContextKeys = z.array(z.string().min(1).max(256)).max(1000);

/** Options of `ContextManager.dumpContext`. */
export const DumpOptions = z
  .object({
    /** List the session's artifacts into `artifactRefs`. Default true. */
    includeArtifacts: z.boolean().default(true),
    /** Store gzip-compressed. Default false. */
    compress: z.boolean().default(false),
    /** Include this many newest messages in `orchestratorState.recentMessages` (0 = none). Default 0. */
    recentMessages: z.number().int().min(0).max(1000).default(0),
    /** Per-workflow state to keep with the snapshot. Default {}. */
    workflowStates: JsonRecord.default({}),
    /** Days until the snapshot artifact expires; null = never. Default the artifact store's TTL. */
    ttlDays: z.number().positive().max(36_500).nullable().optional(),
    /** Artifact description. Default `Context snapshot of <sessionId>`. */
    description: z.string().max(4000).optional(),
  })
  .strict();
export type DumpOptions = z.input<typeof DumpOptions>;

/** Options of `ContextManager.loadContext`. */
export const LoadOptions = z
  .object({
    /** Apply the snapshot to this session (any session; authorization is the caller's job). Default: only return it. */
    sessionId: z.string().min(1).optional(),
    /** Default `replace`. */
    strategy: LoadStrategy.default('replace'),
    /** Keys for `selective` (required and non-empty there; ignored otherwise). */
    keys: ContextKeys.optional(),
  })
  .strict()
  .refine((o) => o.strategy !== 'selective' || (o.keys !== undefined && o.keys.length > 0), {
    message: 'strategy "selective" needs a non-empty keys list',
    path: ['keys'],
  });
export type LoadOptions = z.input<typeof LoadOptions>;

/** Options of `ContextManager.inheritContext`. */
export const InheritOptions = z
  .object({
    /** Only these top-level keys of the source context (non-empty when given). Default: all. */
    keys: ContextKeys.min(1).optional(),
  })
  .strict();
export type InheritOptions = z.input<typeof InheritOptions>;

/** One entry of `ContextManager.listSnapshots`: what a snapshot is, without reading its content. */
export const SnapshotSummary = z
  .object({
    snapshotId: z.string(),
    createdAt: z.iso.datetime(),
    /** Bytes stored. */
    sizeBytes: z.number().int().min(0),
    /** Whether the stored bytes are gzip. */
    compressed: z.boolean(),
    /** Labels of the session's checkpoints that point at this snapshot. */
    checkpoints: z.array(z.string()),
  })
  .strict();
export type SnapshotSummary = z.infer<typeof SnapshotSummary>;
