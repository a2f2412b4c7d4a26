import type { Artifact } from './artifact.js';
import { Derivation, guessKind } from './artifact-kind.js';

/**
 * DynamoDB item ↔ Artifact. Lineage lists are string sets (so links can be added with an atomic
 * `ADD`; an empty set is simply absent) and null fields are absent attributes.
 */
export function toItem(a: Artifact): Record<string, unknown> {
  const item: Record<string, unknown> = {
    artifactId: a.artifactId,
    sessionId: a.sessionId,
    workflowName: a.workflowName,
    artifactType: a.artifactType,
    s3Key: a.s3Key,
    contentType: a.contentType,
    mimeType: a.mimeType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    accessCount: a.accessCount,
    lastAccessed: a.lastAccessed,
    tags: a.tags,
  };
  if (a.description !== null) item.description = a.description;
  if (a.parentArtifacts.length) item.parentArtifacts = new Set(a.parentArtifacts);
  if (a.childArtifacts.length) item.childArtifacts = new Set(a.childArtifacts);
  if (a.derivedFrom !== null) item.derivedFrom = a.derivedFrom;
  if (a.expiresAt !== null) item.expiresAt = a.expiresAt;
  if (a.name !== null) item.name = a.name;
  item.kind = a.kind;
  if (a.derivation !== null) item.derivation = a.derivation;
  return item;
}

function stringList(v: unknown): string[] {
  if (v instanceof Set) return [...(v as Set<string>)].sort();
  if (Array.isArray(v)) return [...(v as string[])].sort();
  return [];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));

/** Reads an item written by `toItem` (unknown extra attributes are ignored). */
export function fromItem(item: Record<string, unknown>): Artifact {
  return {
    artifactId: str(item.artifactId),
    sessionId: str(item.sessionId),
    workflowName: str(item.workflowName),
    artifactType: str(item.artifactType) as Artifact['artifactType'],
    s3Key: str(item.s3Key),
    contentType: str(item.contentType) as Artifact['contentType'],
    mimeType: str(item.mimeType),
    sizeBytes: num(item.sizeBytes),
    sha256: str(item.sha256),
    createdAt: str(item.createdAt),
    createdBy: str(item.createdBy),
    description: strOrNull(item.description),
    parentArtifacts: stringList(item.parentArtifacts),
    childArtifacts: stringList(item.childArtifacts),
    derivedFrom: strOrNull(item.derivedFrom),
    expiresAt: strOrNull(item.expiresAt),
    accessCount: num(item.accessCount),
    lastAccessed: str(item.lastAccessed),
    tags: (item.tags && typeof item.tags === 'object' ? item.tags : {}) as Record<string, string>,
    name: strOrNull(item.name),
    // items written before kinds existed: guess from what they carry
    kind: typeof item.kind === 'string' ? item.kind : guessKind({ name: strOrNull(item.name), contentType: str(item.contentType), mimeType: str(item.mimeType) }),
    derivation: Derivation.safeParse(item.derivation).data ?? null,
  };
}
