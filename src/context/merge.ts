import type { LoadStrategy } from './context-snapshot.js';

type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Deep merge of two JSON objects: plain objects merge key by key, recursively; anything else
 * (scalars, arrays, null, a type mismatch) takes `over`'s value. Keys only `base` has stay.
 * Neither input is modified.
 */
export function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

/** `current` with `keys` copied from `source`; a key `source` lacks is removed from the result. */
export function copyKeys(current: Json, source: Json, keys: readonly string[]): Json {
  const out: Json = { ...current };
  for (const k of keys) {
    if (Object.hasOwn(source, k)) out[k] = source[k];
    else delete out[k];
  }
  return out;
}

/** Only `keys` of `source` (those it has). */
export function pickKeys(source: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const k of keys) if (Object.hasOwn(source, k)) out[k] = source[k];
  return out;
}

/** The session's new globalContext when `snapshot` is loaded over `current` with `strategy`. */
export function applyStrategy(strategy: LoadStrategy, current: Json, snapshot: Json, keys: readonly string[] = []): Json {
  switch (strategy) {
    case 'replace':
      return { ...snapshot };
    case 'merge':
      return deepMerge(current, snapshot);
    case 'selective':
      return copyKeys(current, snapshot, keys);
  }
}
