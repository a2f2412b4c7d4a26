import { createHash } from 'node:crypto';

/**
 * Deterministic names for side effects that must happen once. `parts` say what the effect is for
 * (e.g. `['node-output', userId, runId, step, key]`, `['idempotency-key', route, userId, key]`);
 * they are hashed as a JSON array, so no separator inside a part (a `:` in a user id, say) can make
 * two different effects share a name, and no caller-chosen text reaches a storage key unhashed.
 */
export function onceHash(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** A UUID (version 8, RFC 9562's custom layout) derived from `parts`: the same parts give the same UUID. */
export function onceUuid(parts: readonly string[]): string {
  const h = onceHash(parts);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
