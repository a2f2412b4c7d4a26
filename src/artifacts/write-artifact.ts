import type { Services } from '../infra/services.js';
import type { Logger } from '../logger.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Artifact } from './artifact.js';
import type { ArtifactTable } from './artifact-table.js';
import type { BlobRefs } from './blob-refs.js';
import { guessKind } from './artifact-kind.js';
import { contentShape, defaultKind, defaultMimeType } from './content-kind.js';
import { artifactS3Key, expiryFrom, onceS3Key } from './keys.js';
import { isConditionFailed } from './dynamo-errors.js';
import { deleteObjectQuietly, uploadBytes, uploadStream, type UploadResult, type UploadTarget } from './s3-upload.js';
import type { ParsedStoreArtifactInput } from './store-input.js';

export interface WriteContext {
  services: Services;
  table: ArtifactTable;
  blobs: BlobRefs;
  maxBytes: number;
  partSizeBytes: number;
  queueSize: number;
  defaultTtlDays: number;
  log: Logger | undefined;
}

/** Serialises non-stream content to bytes. */
function toBytes(content: unknown, shape: 'json' | 'string' | 'bytes'): Uint8Array {
  if (shape === 'bytes') return content as Uint8Array;
  if (shape === 'string') return Buffer.from(content as string, 'utf8');
  let json: string | undefined;
  try {
    json = JSON.stringify(content);
  } catch (err) {
    throw new ValidationError(`content cannot be serialised as JSON: ${(err as Error).message}`, { cause: err });
  }
  if (json === undefined) throw new ValidationError('content cannot be serialised as JSON');
  return Buffer.from(json, 'utf8');
}

/** The first bytes of in-memory content, for guessing its kind (streams are sniffed by the caller). */
function headOf(content: unknown, shape: string): string | Uint8Array | undefined {
  if (shape === 'string') return (content as string).slice(0, 16 * 1024);
  if (shape === 'bytes') return (content as Uint8Array).subarray(0, 16 * 1024);
  return undefined;
}

/**
 * Uploads the content and writes the metadata of a new artifact, in crash-safe order:
 * S3 object → blob ref item (refs = {artifactId}) → parents' `childArtifacts` → metadata item
 * (`attribute_not_exists`). On a failure after the upload, the blob reference is released (which
 * deletes the object), so no metadata item and no object are left behind.
 */
export async function writeArtifact(
  ctx: WriteContext,
  input: ParsedStoreArtifactInput,
  artifactId: string,
  parents: string[],
  /**
   * The id is deterministic (a retried node's output): the S3 key has no date, a blob item this id
   * already joined is reused, and when the metadata item exists the stored artifact is returned
   * ("exists → return it"). Default false (a fresh id).
   */
  deterministic = false,
): Promise<Artifact> {
  const shape = contentShape(input.content)!;
  const contentType = input.contentType ?? defaultKind(shape, input.name);
  if (shape === 'json' && contentType !== 'json') {
    throw new ValidationError(`an object can only be stored as json, not ${contentType}`, {
      details: [{ path: ['contentType'], message: 'objects are stored as json' }],
    });
  }
  const mimeType = input.mimeType ?? defaultMimeType(contentType);
  const createdAt = new Date();
  const s3Key = deterministic ? onceS3Key(input.sessionId, artifactId) : artifactS3Key(input.sessionId, artifactId, createdAt);
  const target: UploadTarget = {
    s3: ctx.services.s3,
    bucket: ctx.services.bucket,
    key: s3Key,
    mimeType,
    metadata: { 'artifact-id': artifactId, 'session-id': input.sessionId },
    maxBytes: ctx.maxBytes,
    partSizeBytes: ctx.partSizeBytes,
    queueSize: ctx.queueSize,
    log: ctx.log,
  };

  let uploaded: UploadResult;
  if (shape === 'stream') {
    uploaded = await uploadStream(target, input.content as NodeJS.ReadableStream);
  } else {
    const bytes = toBytes(input.content, shape);
    try {
      uploaded = await uploadBytes(target, bytes);
    } catch (err) {
      await deleteObjectQuietly(target.s3, target.bucket, target.key);
      throw err;
    }
  }

  const createdIso = createdAt.toISOString();
  try {
    await ctx.blobs.create(s3Key, artifactId, createdIso);
  } catch (err) {
    // A deterministic key may be in use by the same artifact's metadata (a concurrent attempt won).
    if (deterministic) {
      const existing = await ctx.table.read(artifactId);
      if (existing) return existing;
    } else {
      await deleteObjectQuietly(target.s3, target.bucket, target.key);
    }
    throw err;
  }

  const artifact: Artifact = {
    artifactId,
    sessionId: input.sessionId,
    workflowName: input.workflowName,
    artifactType: input.artifactType,
    s3Key,
    contentType,
    mimeType,
    sizeBytes: uploaded.sizeBytes,
    sha256: uploaded.sha256,
    createdAt: createdIso,
    createdBy: input.createdBy,
    description: input.description ?? null,
    parentArtifacts: [...parents].sort(),
    childArtifacts: [],
    derivedFrom: null,
    expiresAt: expiryFrom(createdAt, input.ttlDays === undefined ? ctx.defaultTtlDays : input.ttlDays),
    accessCount: 0,
    lastAccessed: createdIso,
    tags: input.tags ?? {},
    name: input.name ?? null,
    kind: input.kind ?? guessKind({ name: input.name, contentType, mimeType, head: headOf(input.content, shape) }),
    derivation: input.derivation ?? null,
  };
  try {
    for (const p of parents) await ctx.table.editSet(p, 'childArtifacts', 'ADD', artifactId);
    await ctx.table.create(artifact);
  } catch (err) {
    if (deterministic) {
      // Another attempt of the same write got there first: its artifact is the one (exists → return it).
      const existing = isConditionFailed(err) ? await ctx.table.read(artifactId).catch(() => undefined) : undefined;
      if (existing) return existing;
      if (await ctx.table.read(artifactId).catch(() => undefined)) throw err; // never undo a stored artifact
    }
    for (const p of parents) await ctx.table.editSet(p, 'childArtifacts', 'DELETE', artifactId).catch(() => undefined);
    await ctx.blobs.release(s3Key, artifactId).catch((e: unknown) => ctx.log?.warn({ err: e, s3Key }, 'cleanup after failed store'));
    throw err;
  }
  ctx.log?.debug({ artifactId, sessionId: input.sessionId, sizeBytes: artifact.sizeBytes }, 'artifact stored');
  return artifact;
}
