import { randomUUID } from 'node:crypto';

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
