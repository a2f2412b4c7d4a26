import { artifactIdsIn, extractArtifactParams } from './artifact-params.js';
import { squash, surfaceRegExp, surfacesFor } from './enum-synonyms.js';
import type { ArtifactHint } from './llm.js';
import type { PropInfo } from './schema-props.js';
import { escapeRegExp, stem, STOPWORDS } from './text.js';

/** What the extractor found in one message for one tool. */
export interface Extraction {
  params: Record<string, unknown>;
  /** 0..1: share of the message's content words that were keys or values of found parameters. */
  coverage: number;
  /**
   * Enum parameters the message gives several values for, joined by "and" (`postgres and bigquery`),
   * in the order written: the user wants one run per value. Such a parameter is not in `params`.
   */
  alternatives?: Record<string, string[]>;
}

export interface ExtractOptions {
  /** Attached / recent artifacts (attached first). */
  artifacts?: readonly ArtifactHint[];
  /**
   * Stemmed words of every tool's name, description and examples. A bare word right after a
   * property name (`table orders`) is taken as its value only when it is not one of these.
   */
  vocabulary?: ReadonlySet<string>;
}

/** Longest message the extractor looks at (longer ones are cut, keeping regexes cheap). */
const MAX_MESSAGE = 8_000;

const QUOTED = String.raw`"([^"\n]{1,300})"|'([^'\n]{1,300})'|` + '`([^`\\n]{1,300})`';
const BARE = String.raw`([^\s,;"'` + '`' + String.raw`]+)`;
const VALUE = `(?:${QUOTED}|${BARE})`;
const SEPARATOR = String.raw`\s*(=>|=|:|\bis\b|\bare\b|\bshould be\b|\bset to\b|\bnamed\b|\bcalled\b|\bas\b|\bof\b|\bto\b)?\s*`;
/** Words that are never a bare value (they introduce one). */
const NOT_VALUES = new Set(['named', 'called', 'is', 'are', 'as', 'of', 'to', 'set', 'should', 'be']);
const NUMBER = String.raw`(-?\d[\d,_]*(?:\.\d+)?[kKmM]?)(?![\w.])`;
const TRUE_WORDS = new Set(['yes', 'y', 'true', 'on', '1', 'enable', 'enabled']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'off', '0', 'disable', 'disabled']);

type Span = [number, number];

/** A regex source for a phrase: words with flexible separators and light inflection (`rows` ≈ `row`). */
function phraseSource(phrase: string): string {
  const parts = phrase.split(' ').map((w) => {
    const s = stem(w);
    return s !== w && s.length >= 3 ? `${escapeRegExp(s)}[a-z]{0,4}` : `${escapeRegExp(w)}(?:s|es)?`;
  });
  return `(?<![A-Za-z0-9_])${parts.join('[\\s_-]*')}(?![A-Za-z0-9_])`;
}

function cleanValue(raw: string): string {
  return raw.trim().replace(/[.,;:!?)\]]+$/, '');
}

function parseNumber(raw: string, integer: boolean): number | undefined {
  const m = raw.trim().match(/^(-?\d[\d,_]*(?:\.\d+)?)([kKmM]?)$/);
  if (!m) return undefined;
  let n = Number(m[1]!.replace(/[,_]/g, ''));
  if (m[2]?.toLowerCase() === 'k') n *= 1_000;
  if (m[2]?.toLowerCase() === 'm') n *= 1_000_000;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return undefined;
  return n;
}

/** The enum value that `raw` names (itself or a synonym), if any. */
function enumValueFor(prop: PropInfo, raw: string): string | undefined {
  const key = squash(raw);
  if (!key) return undefined;
  for (const v of prop.enumValues ?? []) if (surfacesFor(v).some((s) => squash(s) === key)) return v;
  return undefined;
}

/** Converts a raw captured value to the property's type, or undefined when it does not fit. */
export function coerce(prop: PropInfo, raw: string, quoted: boolean): unknown {
  const value = quoted ? raw : cleanValue(raw);
  if (!value) return undefined;
  if (prop.enumValues) return enumValueFor(prop, value);
  switch (prop.type) {
    case 'number':
    case 'integer':
      return parseNumber(value, prop.type === 'integer');
    case 'boolean': {
      const v = value.toLowerCase();
      return TRUE_WORDS.has(v) ? true : FALSE_WORDS.has(v) ? false : undefined;
    }
    case 'array':
      return value
        .split(/\s*(?:,|\band\b)\s*/)
        .map((x) => x.trim())
        .filter(Boolean);
    case 'object':
      return undefined;
    default:
      if (!quoted && (STOPWORDS.has(value.toLowerCase()) || NOT_VALUES.has(value.toLowerCase()))) return undefined;
      return value;
  }
}

/**
 * Extracts the parameters a message states for one tool, driven by its schema: artifact ids,
 * enum values and their synonyms, `name = value` / `name: value` / `name is value` / `table X` /
 * `named X` / `called X`, numbers next to the property's name, paths and URLs, booleans and quoted
 * strings. Only what it is reasonably sure of; never throws.
 */
export function extractParams(messageIn: string, props: readonly PropInfo[], options: ExtractOptions = {}): Extraction {
  // Whitespace runs collapsed: keeps every regex below linear on hostile input.
  const message = messageIn.slice(0, MAX_MESSAGE).replace(/\s+/g, ' ');
  const params: Record<string, unknown> = {};
  const spans: Span[] = [];
  const open = (p: PropInfo) => !(p.name in params);
  const vocabulary = options.vocabulary ?? new Set<string>();
  const set = (p: PropInfo, value: unknown, span?: Span) => {
    if (value === undefined || !open(p)) return false;
    params[p.name] = value;
    if (span) spans.push(span);
    return true;
  };

  // 1. Artifact ids (written or attached).
  const ids = artifactIdsIn(message);
  Object.assign(params, extractArtifactParams(props, ids, options.artifacts ?? []));
  for (const id of ids) {
    const i = message.indexOf(id);
    if (Object.values(params).some((v) => v === id || (Array.isArray(v) && v.includes(id)))) spans.push([i, i + id.length]);
  }

  // 2. Explicit key/value: `dialect: pg`, `table is orders`, `table orders`, `limit of 10`.
  for (const p of props) {
    if (!open(p) || p.artifact || p.type === 'object') continue;
    const valueSrc =
      p.type === 'array' && !p.enumValues
        ? String.raw`((?:[\w.\-/]+)(?:\s*,\s*[\w.\-/]+)*(?:\s*,?\s*and\s+[\w.\-/]+)?)`
        : p.type === 'number' || p.type === 'integer'
          ? NUMBER
          : VALUE;
    const phrases = p.type === 'number' || p.type === 'integer' ? numberPhrases(p) : p.keyPhrases;
    for (const phrase of phrases) {
      const re = new RegExp(`${phraseSource(phrase)}${SEPARATOR}${valueSrc}`, 'gi');
      let found = false;
      for (const m of message.matchAll(re)) {
        const sep = m[1];
        const quoted = valueSrc === VALUE ? (m[2] ?? m[3] ?? m[4]) : undefined;
        const raw = (valueSrc === VALUE ? (quoted ?? m[5]) : m[2]) ?? '';
        if (!sep && quoted === undefined && p.type === 'string' && !p.enumValues) {
          // `table orders`: only a value-looking word, not another request word.
          const w = cleanValue(raw).toLowerCase();
          if (STOPWORDS.has(w) || NOT_VALUES.has(w) || vocabulary.has(stem(w)) || props.some((q) => q.keyPhrases.includes(w))) continue;
        }
        if ((sep === 'to' || sep === 'of') && (p.type === 'string' || p.type === 'array') && !p.enumValues) continue;
        const value = coerce(p, raw, quoted !== undefined);
        if (set(p, value, [m.index, m.index + m[0].length])) {
          found = true;
          break;
        }
      }
      if (found) break;
    }
    // Numbers before the name: `1000 rows`, `5 retries`.
    if (open(p) && (p.type === 'number' || p.type === 'integer')) {
      for (const phrase of numberPhrases(p)) {
        const m = new RegExp(`${NUMBER}\\s+(?:[a-z]+\\s+)?${phraseSource(phrase)}`, 'i').exec(message);
        if (m && set(p, parseNumber(m[1]!, p.type === 'integer'), [m.index, m.index + m[0].length])) break;
      }
    }
  }

  // 3. `named X` / `called X`: to the property whose name the preceding word is, else the only name-like one.
  for (const m of message.matchAll(new RegExp(`(?<![A-Za-z0-9])([A-Za-z]+)\\s+(?:named|called)\\s+${VALUE}`, 'g'))) {
    const quoted = m[2] ?? m[3] ?? m[4];
    const raw = quoted ?? m[5] ?? '';
    const before = stem(m[1]!.toLowerCase());
    const strings = props.filter((p) => open(p) && p.type === 'string' && !p.enumValues && !p.artifact);
    const byWord = strings.filter((p) => p.words.some((w) => stem(w) === before));
    const nameLike = strings.filter((p) => p.words.includes('name') || ['title', 'label'].includes(p.name.toLowerCase()));
    const target = byWord.length === 1 ? byWord[0] : nameLike.length === 1 ? nameLike[0] : undefined;
    if (target) set(target, coerce(target, raw, quoted !== undefined), [m.index, m.index + m[0].length]);
  }

  // 4. Enum values mentioned anywhere (with synonyms), when only one property can take them.
  const alternatives = extractEnums(message, props, params, spans);

  // 5. Booleans named in the text: `dry run` → true, `no dry run` / `dry run: no` → false.
  for (const p of props) {
    if (!open(p) || p.type !== 'boolean') continue;
    for (const phrase of p.keyPhrases) {
      const m = new RegExp(`(\\b(?:no|not|without|don'?t|do not|disable|skip)\\s+(?:a\\s+|the\\s+)?)?${phraseSource(phrase)}`, 'i').exec(message);
      if (!m) continue;
      set(p, !m[1], [m.index, m.index + m[0].length]);
      break;
    }
  }

  // 6. Paths and URLs, when exactly one property wants one and exactly one appears.
  const pathProps = props.filter(
    (p) => open(p) && p.type === 'string' && !p.enumValues && !p.artifact && (isUriFormat(p) || p.words.some((w) => PATHY.has(w))),
  );
  if (pathProps.length === 1) {
    const p = pathProps[0]!;
    const re = isUriFormat(p) ? URL_RE : PATH_RE;
    const found = [...message.matchAll(re)].filter((m) => !insideSpans(spans, m.index));
    if (found.length === 1) set(p, cleanValue(found[0]![0]), [found[0]!.index, found[0]!.index + found[0]![0].length]);
  }

  // 7. A lone quoted string, when exactly one required plain string property is still open.
  const quotedStrings = [...message.matchAll(new RegExp(QUOTED, 'g'))].filter((m) => !insideSpans(spans, m.index));
  const openStrings = props.filter((p) => open(p) && p.required && p.type === 'string' && !p.enumValues && !p.artifact);
  if (quotedStrings.length === 1 && openStrings.length === 1) {
    const m = quotedStrings[0]!;
    set(openStrings[0]!, m[1] ?? m[2] ?? m[3], [m.index, m.index + m[0].length]);
  }

  return { params, coverage: coverage(message, spans), ...(Object.keys(alternatives).length ? { alternatives } : {}) };
}

const PATHY = new Set(['path', 'url', 'uri', 'file', 'dir', 'directory', 'folder', 'location', 'prefix', 'bucket', 'endpoint']);
const URL_RE = /\b(?:s3|gs|https?|ftp|abfss?|file):\/\/[^\s"'`<>]+/gi;
const PATH_RE = /(?:\b(?:s3|gs|https?|ftp|abfss?|file):\/\/[^\s"'`<>]+|(?<![\w/])(?:\.{1,2}\/|\/|~\/)[\w.\-/]+|\b[\w-]+(?:\/[\w.-]+)*\.(?:csv|tsv|json|jsonl|jil|sql|ddl|parquet|ya?ml|txt|py|xml|avro|gz|zip)\b)/gi;

function isUriFormat(p: PropInfo): boolean {
  return p.format === 'uri' || p.format === 'url' || p.format === 'uri-reference';
}

/** Number properties are also named by any one significant word of their name (`sampleSize` → sample). */
function numberPhrases(p: PropInfo): string[] {
  const extra = p.words.filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !['max', 'min', 'num', 'number', 'count', 'size'].includes(w));
  return [...new Set([...p.keyPhrases, ...extra])];
}

function insideSpans(spans: readonly Span[], index: number): boolean {
  return spans.some(([a, b]) => index >= a && index < b);
}

/** What may stand between two values meant together: `a and b`, `a, b`, `a & b`, `both a and b`, `a as well as b`. */
const AND_JOIN = /^\s*(?:,\s*(?:and\s+)?|and\s+(?:also\s+|then\s+)?(?:in\s+|for\s+)?|&\s*|\+\s*|plus\s+|as well as\s+)(?:in\s+|for\s+)?$/i;

/** Sets the enum values the message names once; returns the parameters named several times with "and" between. */
function extractEnums(message: string, props: readonly PropInfo[], params: Record<string, unknown>, spans: Span[]): Record<string, string[]> {
  const alternatives: Record<string, string[]> = {};
  const enumProps = props.filter((p) => !(p.name in params) && p.enumValues && !p.artifact && p.type !== 'array');
  const mentions = new Map<string, { value: string; index: number; length: number }[]>();
  for (const p of enumProps) {
    const list: { value: string; index: number; length: number }[] = [];
    for (const v of p.enumValues ?? []) {
      for (const s of surfacesFor(v)) {
        for (const m of message.matchAll(surfaceRegExp(s))) {
          if (!insideSpans(spans, m.index)) list.push({ value: v, index: m.index, length: m[0].length });
        }
      }
    }
    mentions.set(p.name, list);
  }
  const directional = (p: PropInfo): 'from' | 'to' | undefined =>
    p.words.some((w) => ['source', 'from', 'input', 'in', 'src', 'origin'].includes(w))
      ? 'from'
      : p.words.some((w) => ['target', 'to', 'output', 'out', 'dest', 'destination', 'into'].includes(w))
        ? 'to'
        : undefined;
  for (const p of enumProps) {
    const list = mentions.get(p.name) ?? [];
    const values = [...new Set(list.map((x) => x.value))];
    if (values.length === 0) continue;
    const competitors = enumProps.filter((q) => q !== p && (mentions.get(q.name) ?? []).some((x) => values.includes(x.value)));
    const dir = directional(p);
    if (values.length === 1 && competitors.length === 0) {
      params[p.name] = values[0];
      const first = list[0]!;
      spans.push([first.index, first.index + first.length]);
      continue;
    }
    if (values.length > 1 && competitors.length === 0 && !dir) {
      // one mention per value (the longest surface at each place), joined by "and": one run each
      const ordered = [...list].sort((a, b) => a.index - b.index || b.length - a.length).filter((x, i, all) => i === 0 || x.index >= all[i - 1]!.index + all[i - 1]!.length);
      const joined = ordered.every((x, i) => i === 0 || AND_JOIN.test(message.slice(ordered[i - 1]!.index + ordered[i - 1]!.length, x.index)));
      const distinct = [...new Set(ordered.map((x) => x.value))];
      if (joined && distinct.length === ordered.length) {
        alternatives[p.name] = distinct;
        for (const x of ordered) spans.push([x.index, x.index + x.length]);
      }
      continue;
    }
    if (!dir) continue;
    // `from mysql to postgres`: the word right before the mention decides.
    const words = dir === 'from' ? ['from', 'source'] : ['to', 'into', 'target', 'as'];
    const hits = list.filter((x) => {
      const before = message.slice(Math.max(0, x.index - 12), x.index).toLowerCase();
      return words.some((w) => new RegExp(`\\b${w}\\s+(?:the\\s+)?$`).test(before));
    });
    const hitValues = [...new Set(hits.map((h) => h.value))];
    if (hitValues.length === 1) {
      params[p.name] = hitValues[0];
      spans.push([hits[0]!.index, hits[0]!.index + hits[0]!.length]);
    }
  }
  return alternatives;
}

function coverage(message: string, spans: readonly Span[]): number {
  let total = 0;
  let covered = 0;
  for (const m of message.matchAll(/[A-Za-z0-9_][\w.\-/]*/g)) {
    if (STOPWORDS.has(m[0].toLowerCase())) continue;
    total++;
    if (insideSpans(spans, m.index)) covered++;
  }
  return total === 0 ? 0 : covered / total;
}
