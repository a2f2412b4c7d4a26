import { artifactIdsIn } from './artifact-params.js';
import type { CompressOptions } from './llm.js';

/** Default token budget of `compress` when none is given. */
export const DEFAULT_COMPRESS_TOKENS = 2000;
/** Characters per token used for budgets everywhere (a rough, deterministic estimate). */
export const CHARS_PER_TOKEN = 4;

/** Keys whose values are kept verbatim at any depth: artifact references and parameters. */
const PROTECTED = new Set(['artifactid', 'artifactids', 'artifacts', 'artifactrefs', 'parameters', 'params']);
/** Keys whose values are verbose prose, dropped from level 1 on (their artifact ids are kept). */
const VERBOSE = new Set([
  'description',
  'desc',
  'details',
  'notes',
  'note',
  'comment',
  'comments',
  'help',
  'explanation',
  'reasoning',
  'log',
  'logs',
  'stack',
  'trace',
  'raw',
  'rawtext',
]);

const normKey = (k: string) => k.toLowerCase().replace(/[^a-z]/g, '');
const isProtected = (k: string) => PROTECTED.has(normKey(k));

/** Estimated tokens of a JSON-serialisable value (≈ 4 characters per token). */
export function estimateTokens(value: unknown): number {
  try {
    return Math.ceil((JSON.stringify(value) ?? '').length / CHARS_PER_TOKEN);
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

/** A JSON-safe deep copy: cycles become "[circular]", Dates ISO strings, bigint strings, functions dropped. */
export function toPlainJson(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const obj = value as object;
  if (seen.has(obj)) return '[circular]';
  seen.add(obj);
  let out: unknown;
  if (Array.isArray(obj)) out = obj.map((v) => toPlainJson(v, seen) ?? null);
  else {
    const rec: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const p = toPlainJson(v, seen);
      if (p !== undefined) rec[k] = p;
    }
    out = rec;
  }
  seen.delete(obj);
  return out;
}

interface Level {
  maxString: number;
  maxItems: number;
  maxDepth: number;
  dropVerbose: boolean;
}

/** Progressively harsher passes; the first whose result fits the budget wins. */
const LEVELS: readonly Level[] = [
  { maxString: 400, maxItems: 50, maxDepth: 12, dropVerbose: true },
  { maxString: 200, maxItems: 20, maxDepth: 8, dropVerbose: true },
  { maxString: 100, maxItems: 10, maxDepth: 6, dropVerbose: true },
  { maxString: 60, maxItems: 5, maxDepth: 4, dropVerbose: true },
  { maxString: 32, maxItems: 3, maxDepth: 3, dropVerbose: true },
  { maxString: 16, maxItems: 2, maxDepth: 2, dropVerbose: true },
];

function idsOf(value: unknown): string[] {
  try {
    return artifactIdsIn(JSON.stringify(value) ?? '');
  } catch {
    return [];
  }
}

function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  // Never cut an id in half: a trailing partial `art_…` goes, and is listed whole below.
  const head = s.slice(0, max).replace(/art_[A-Za-z0-9_-]*$/, '');
  const inHead = new Set(artifactIdsIn(head));
  const lost = artifactIdsIn(s).filter((id) => !inHead.has(id));
  return `${head}…${lost.length ? ` [${lost.join(' ')}]` : ''}`;
}

function compact(value: unknown, level: Level, depth: number): unknown {
  if (typeof value === 'string') return truncate(value, level.maxString);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const kept = value.slice(0, level.maxItems).map((v) => compact(v, level, depth + 1));
    if (value.length > level.maxItems) {
      const ids = idsOf(value.slice(level.maxItems));
      kept.push(`… +${value.length - level.maxItems} more${ids.length ? ` [${ids.join(' ')}]` : ''}`);
    }
    return kept;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  if (depth >= level.maxDepth) {
    const omitted: string[] = [];
    for (const [k, v] of entries) {
      if (isProtected(k)) out[k] = v;
      else omitted.push(k);
    }
    if (omitted.length) {
      const ids = idsOf(entries.filter(([k]) => !isProtected(k)));
      out._omitted = `${omitted.length} keys${ids.length ? ` [${ids.join(' ')}]` : ''}`;
    }
    return out;
  }
  for (const [k, v] of entries) {
    if (isProtected(k)) out[k] = v;
    else if (level.dropVerbose && VERBOSE.has(normKey(k))) {
      const ids = idsOf(v);
      if (ids.length) out[k] = ids.join(' ');
    } else out[k] = compact(v, level, depth + 1);
  }
  return out;
}

/** Collects every protected entry at any depth, keyed by its dotted path. */
function protectedEntries(value: unknown, path: string, out: Record<string, unknown>): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => protectedEntries(v, `${path}${path ? '.' : ''}${i}`, out));
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const p = `${path}${path ? '.' : ''}${k}`;
    if (isProtected(k)) out[p] = v;
    else protectedEntries(v, p, out);
  }
}

/**
 * Deterministic context compression. Returns the input (as plain JSON) when it already fits;
 * otherwise applies progressively harsher passes — verbose keys (description, notes, logs…) dropped,
 * long strings cut with "…", long arrays trimmed with a count, deep objects summarised — until it
 * fits `maxTokens` (≈ 4 chars/token). Artifact ids (`art_…`, anywhere) and the values under
 * artifactId/artifacts/artifactRefs/parameters/params keys always survive; the last resort keeps only
 * those. Never throws.
 */
export function offlineCompress(context: Record<string, unknown>, options: CompressOptions = {}): Record<string, unknown> {
  const maxTokens = Math.max(1, Math.floor(options.maxTokens ?? DEFAULT_COMPRESS_TOKENS));
  try {
    const plain = toPlainJson(context);
    const base = plain && typeof plain === 'object' && !Array.isArray(plain) ? (plain as Record<string, unknown>) : {};
    if (estimateTokens(base) <= maxTokens) return base;
    // When the ids alone exceed the budget no pass can fit: skip straight to the last resort.
    const idsTooMany = estimateTokens(idsOf(base)) > maxTokens;
    for (const level of idsTooMany ? [] : LEVELS) {
      const out = compact(base, level, 0) as Record<string, unknown>;
      if (estimateTokens(out) <= maxTokens) return out;
    }
    const kept: Record<string, unknown> = {};
    protectedEntries(base, '', kept);
    const all = idsOf(base);
    const out: Record<string, unknown> = { ...kept, _omitted: `${Object.keys(base).length} keys` };
    if (kept.artifactRefs === undefined) out.artifactRefs = all;
    else if (Array.isArray(kept.artifactRefs)) out.artifactRefs = [...new Set([...kept.artifactRefs, ...all])];
    else out._artifactIds = all;
    return out;
  } catch {
    // Last line of defence: never throw, never lose an id we can still see.
    let ids: string[] = [];
    try {
      ids = artifactIdsIn(String(JSON.stringify(context)));
    } catch {
      ids = [];
    }
    return { artifactRefs: ids };
  }
}
