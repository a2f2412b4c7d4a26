import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import { ArtifactKind, Derivation } from './artifact-kind.js';
import { ArtifactId, ArtifactSessionId, ArtifactTags, ArtifactType, ContentKind, MimeType } from './artifact.js';
import { contentShape, type ArtifactContent } from './content-kind.js';

/** Input of `ArtifactStore.store()`. */
export const StoreArtifactInput = z
  .object({
    sessionId: ArtifactSessionId,
    workflowName: z.string().min(1).max(200),
    /** Default `result`. */
    artifactType: ArtifactType.default('result'),
    /**
     * A plain object or array (stored as JSON), a string, bytes (Buffer/Uint8Array), or a byte stream
     * (Node Readable or WHATWG ReadableStream; streamed to S3 in parts, never buffered whole).
     */
    content: z.custom<ArtifactContent>((v) => contentShape(v) !== undefined, {
      message: 'content must be a plain object/array, a string, a Buffer/Uint8Array or a readable stream',
    }),
    /** Default: json for objects, text for strings, binary for bytes/streams (or what `name`'s extension says). */
    contentType: ContentKind.optional(),
    /** Default: derived from `contentType` (application/json, text/csv, application/octet-stream, …). */
    mimeType: MimeType.optional(),
    /** Node name or user id. */
    createdBy: z.string().min(1).max(200),
    /** Default null. */
    description: z.string().max(4000).nullable().optional(),
    /** Default {}. */
    tags: ArtifactTags.optional(),
    /** Lineage: artifacts this one was made from; each must exist. Default []. */
    parentArtifacts: z.array(ArtifactId).max(100).optional(),
    /** Original file name; default null. Its extension informs the default `contentType`. */
    name: z.string().min(1).max(1024).nullable().optional(),
    /** Days until `cleanupExpired` may delete it; null = never. Default: the store's `ttlDays`. */
    ttlDays: z.number().positive().max(36_500).nullable().optional(),
    /** What it holds for the planner. Default: guessed from `name` and `contentType` (see `guessKind`). */
    kind: ArtifactKind.optional(),
    /** The workflow and inputs that made it (reuse before recompute). Default null. */
    derivation: Derivation.nullable().optional(),
  })
  .strict();
export type StoreArtifactInput = z.input<typeof StoreArtifactInput>;
export type ParsedStoreArtifactInput = z.output<typeof StoreArtifactInput>;

/** Options of `ArtifactStore.list()`. */
export const ListArtifactsOptions = z
  .object({
    /** Only this workflow's artifacts. */
    workflowName: z.string().min(1).optional(),
    /** Only this type. */
    artifactType: ArtifactType.optional(),
    /** Only artifacts carrying every one of these tags with these values. */
    tags: ArtifactTags.optional(),
    /** Page size, 1-200. Default 50. */
    limit: z.number().int().min(1).max(200).default(50),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).max(2000).optional(),
  })
  .strict();
export type ListArtifactsOptions = z.input<typeof ListArtifactsOptions>;

/** Options of `ArtifactStore.lineage()`. */
export const LineageOptions = z
  .object({
    /** Default `both`. */
    direction: z.enum(['ancestors', 'descendants', 'both']).default('both'),
    /** Levels to follow in each direction, 0-100. Default 10. */
    maxDepth: z.number().int().min(0).max(100).default(10),
  })
  .strict();
export type LineageOptions = z.input<typeof LineageOptions>;

/** Options of `ArtifactStore.share()`. */
export const ShareOptions = z
  .object({
    /** Who shared it. Default `shared_from_<original id>`. */
    createdBy: z.string().min(1).max(200).optional(),
    /** Days until the copy expires; null = never. Default: the store's `ttlDays`. */
    ttlDays: z.number().positive().max(36_500).nullable().optional(),
  })
  .strict();
export type ShareOptions = z.input<typeof ShareOptions>;

/** Parses with `schema` or throws a ValidationError whose `details` are the zod issues. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const summary = r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
  throw new ValidationError(`invalid ${what}: ${summary}`, { details: r.error.issues });
}
