import { randomUUID } from 'node:crypto';
import { onceUuid } from '../idempotency/once-key.js';

/** A fresh `art_<uuid>` id. */
export function newArtifactId(): string {
  return `art_${randomUUID()}`;
}

/** `artifacts/<sessionId>/<yyyy>/<mm>/<dd>/<artifactId>`, the date in UTC. */
export function artifactS3Key(sessionId: string, artifactId: string, createdAt: Date): string {
  const yyyy = String(createdAt.getUTCFullYear()).padStart(4, '0');
  const mm = String(createdAt.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(createdAt.getUTCDate()).padStart(2, '0');
  return `artifacts/${sessionId}/${yyyy}/${mm}/${dd}/${artifactId}`;
}

/** `createdAt + days`, as ISO; null when `days` is null. */
export function expiryFrom(createdAt: Date, days: number | null): string | null {
  return days === null ? null : new Date(createdAt.getTime() + days * 86_400_000).toISOString();
}

/** The deterministic `art_<uuid>` of an output named by `parts` (e.g. user, run, step, output key). */
export function onceArtifactId(parts: readonly string[]): string {
  return `art_${onceUuid(parts)}`;
}

/**
 * `artifacts/<sessionId>/once/<artifactId>`: the S3 key of an artifact with a deterministic id. It has
 * no date, so every attempt of the same write (on any day) uploads to the same key and a retry after
 * a crash overwrites what the dead attempt left instead of leaving a second object.
 */
export function onceS3Key(sessionId: string, artifactId: string): string {
  return `artifacts/${sessionId}/once/${artifactId}`;
}
