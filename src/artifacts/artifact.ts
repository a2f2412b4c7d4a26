import { z } from 'zod';
import { ArtifactKind, Derivation } from './artifact-kind.js';

/** What an artifact is for (the spec's ArtifactType). */
export const ArtifactType = z.enum(['result', 'intermediate', 'debug', 'context', 'data', 'model']);
export type ArtifactType = z.infer<typeof ArtifactType>;

/** The coarse kind of the stored bytes (the spec's `content_type`); `mimeType` carries the precise type. */
export const ContentKind = z.enum(['json', 'text', 'binary', 'csv', 'parquet', 'other']);
export type ContentKind = z.infer<typeof ContentKind>;

/** `art_<uuid v4>`. */
export const ARTIFACT_ID_PATTERN = /^art_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ArtifactId = z.string().regex(ARTIFACT_ID_PATTERN, 'expected an artifact id like art_<uuid>');
export type ArtifactId = z.infer<typeof ArtifactId>;

/**
 * A session id as it may appear in an S3 key: letters, digits and `_ . : -`, at most 200 characters
 * (no `/`, so one session's keys can never reach into another's prefix).
 */
export const ArtifactSessionId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'expected 1-200 characters of letters, digits, _ . : -');

/** A MIME type such as `text/csv` or `text/plain; charset=utf-8`. */
export const MimeType = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[^;]+)*$/, 'expected a MIME type like text/csv');

/** Tag keys and values used for filtering (`list(…, { tags })`). */
export const ArtifactTags = z.record(z.string().min(1).max(128), z.string().max(1024));
export type ArtifactTags = z.infer<typeof ArtifactTags>;

/**
 * One artifact's metadata (DynamoDB `artifacts` table); its content lives in S3 under `s3Key`.
 * Several artifacts may share one S3 object (see `share`); the `blobs` table counts references.
 */
export const Artifact = z
  .object({
    artifactId: ArtifactId,
    sessionId: ArtifactSessionId,
    workflowName: z.string().min(1).max(200),
    artifactType: ArtifactType,
    /** `artifacts/<sessionId>/<yyyy>/<mm>/<dd>/<artifactId>` of the artifact that first stored the bytes. */
    s3Key: z.string().min(1),
    contentType: ContentKind,
    mimeType: MimeType,
    sizeBytes: z.number().int().min(0),
    /** Lower-case hex SHA-256 of the content. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.iso.datetime(),
    /** Node name or user id that stored it. */
    createdBy: z.string().min(1).max(200),
    description: z.string().max(4000).nullable(),
    /** Artifacts this one was derived from (lineage, upward). Sorted. */
    parentArtifacts: z.array(ArtifactId),
    /**
     * Reverse lineage index: artifacts that list this one as a parent. Sorted. It may briefly hold an
     * id whose metadata is gone or that no longer lists this parent; `lineage()` verifies each edge.
     */
    childArtifacts: z.array(ArtifactId),
    /** For a shared copy: the artifact it was shared from. */
    derivedFrom: ArtifactId.nullable(),
    /** After this instant `cleanupExpired` deletes it; null = never. */
    expiresAt: z.iso.datetime().nullable(),
    accessCount: z.number().int().min(0),
    lastAccessed: z.iso.datetime(),
    tags: ArtifactTags,
    /** Original file name (uploads) or a display name. */
    name: z.string().max(1024).nullable(),
    /**
     * What it holds for the planner (`jil`, `jil.parsed`, `csv`, `csv.profile`, …): declared by the
     * workflow that wrote it, or guessed on upload from the name and the first bytes. Items stored
     * before kinds existed read with a kind guessed from their name and content type.
     */
    kind: ArtifactKind,
    /** The workflow and inputs that made it (null for uploads): lets an identical request reuse it. */
    derivation: Derivation.nullable(),
  })
  .strict();
export type Artifact = z.infer<typeof Artifact>;

/** One lineage edge: `parent` was used to make `child`. */
export const LineageEdge = z.object({ parent: ArtifactId, child: ArtifactId }).strict();
export type LineageEdge = z.infer<typeof LineageEdge>;

/** Result of `ArtifactStore.lineage`. */
export interface Lineage {
  artifact: Artifact;
  /** Nearest first (breadth-first), each at most once. */
  ancestors: Artifact[];
  /** Nearest first (breadth-first), each at most once. */
  descendants: Artifact[];
  /** Every edge between the artifacts above, each once. */
  edges: LineageEdge[];
}
