import { cellKind, columnKind, type CellKind } from './cell-kind.js';
import type { LineEnding } from './read-options.js';
import { parseSample } from './sample-parse.js';

/** Delimiters tried by detection, in order of preference on ties. */
export const DELIMITER_CANDIDATES: readonly string[] = [',', '\t', ';', '|'];

/** Records of the sample looked at by detection. */
const MAX_SAMPLE_RECORDS = 500;

/** What detection decided. */
export interface DetectedDialect {
  delimiter: string;
  quote: string | null;
  escape: string | null;
  header: boolean;
  lineEnding: LineEnding;
  /** Most common field count in the sample (the column count when there is no header). */
  modalFieldCount: number;
  detected: { delimiter: boolean; quote: boolean; header: boolean };
}

/** Inputs of {@link detectDialect}: overrides (undefined = detect) and context. */
export interface DetectInput {
  delimiter?: string | undefined;
  quote?: string | null | undefined;
  escape?: string | null | undefined;
  header?: boolean | undefined;
  trim: boolean;
  isNull: (v: string) => boolean;
  /** The sample is the whole input. */
  complete: boolean;
}

/** Counts CRLF, lone LF and lone CR record endings (line breaks inside quoted fields are not counted). */
export function detectLineEnding(text: string, quote: string | null = '"'): LineEnding {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  const q = quote === null ? -1 : quote.charCodeAt(0);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === q) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (c === 10) lf++;
  }
  const kinds = (crlf > 0 ? 1 : 0) + (lf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
  if (kinds === 0) return 'none';
  if (kinds > 1) return 'mixed';
  return crlf > 0 ? 'crlf' : lf > 0 ? 'lf' : 'cr';
}

/**
 * Quote detection: `'` is chosen only when no field starts with `"` and at least two fields are
 * wrapped in `'` (next to a delimiter or line boundary); otherwise `"`.
 */
export function detectQuote(text: string): string {
  const wrapped = (q: string): number => {
    const re = new RegExp(`(?:^|[,;\\t|])${q}[^${q}\\r\\n]*${q}(?=[,;\\t|]|\\r?$)`, 'gm');
    let n = 0;
    while (re.exec(text) !== null && n < 1000) n++;
    return n;
  };
  if (/(?:^|[,;\t|])"/m.test(text)) return '"';
  return wrapped("'") >= 2 ? "'" : '"';
}

/**
 * Escape detection: `\` when the sample has backslash-escaped quotes (`\"`) and no doubled quotes
 * inside a field (`a""b`); otherwise the quote itself (the RFC 4180 convention).
 */
export function detectEscape(text: string, quote: string): string {
  const q = quote.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const backslashed = new RegExp(`[^\\\\]\\\\${q}`, 'g');
  const doubled = new RegExp(`[^,;\\t|\\r\\n${q}]${q}${q}(?![,;\\t|\\r\\n]|$)`, 'g');
  const count = (re: RegExp): number => {
    let n = 0;
    while (re.exec(text) !== null && n < 1000) n++;
    return n;
  };
  return count(backslashed) > 0 && count(doubled) === 0 ? '\\' : quote;
}

interface Candidate {
  delimiter: string;
  rows: string[][];
  mode: number;
  consistency: number;
  typedCells: number;
}

function modeOf(counts: number[]): { mode: number; share: number } {
  const freq = new Map<number, number>();
  for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
  let mode = 0;
  let best = 0;
  for (const [c, f] of freq) {
    if (f > best || (f === best && c > mode)) {
      mode = c;
      best = f;
    }
  }
  return { mode, share: counts.length === 0 ? 0 : best / counts.length };
}

function evaluate(text: string, delimiter: string, input: DetectInput, quote: string | null, escape: string | null): Candidate {
  const rows = parseSample(text, { delimiter, quote, escape, trim: input.trim, maxRecords: MAX_SAMPLE_RECORDS, complete: input.complete });
  const { mode, share } = modeOf(rows.map((r) => r.length));
  let typedCells = 0;
  for (const r of rows.slice(0, 100)) {
    for (const v of r) {
      const k = cellKind(v, input.isNull);
      if (k === 'number' || k === 'temporal' || k === 'boolean') typedCells++;
    }
  }
  return { delimiter, rows, mode, consistency: share, typedCells };
}

/**
 * Picks the delimiter whose split of the sample is most consistent: among candidates yielding more
 * than one field per record, the highest share of records with the modal field count wins; shares
 * within 0.05 of the best are compared by how many cells parse as typed values (so `1,5` in a `;`
 * file does not make `,` win), then by modal field count, then by candidate order.
 */
function pickDelimiter(cands: Candidate[]): Candidate | undefined {
  const multi = cands.filter((c) => c.mode > 1);
  if (multi.length === 0) return undefined;
  const bestShare = Math.max(...multi.map((c) => c.consistency));
  const close = multi.filter((c) => c.consistency >= bestShare - 0.05);
  close.sort((a, b) => b.typedCells - a.typedCells || b.mode - a.mode);
  return close[0];
}

/**
 * Header heuristic. The first record is a header when none of its cells is a number or a date,
 * and the evidence from the following records points that way:
 * - −2 per column whose first cell and later values are all booleans (data, not a name);
 * - +2 per column whose later values are all typed (number/boolean/date) — the first cell is not;
 * - −1 per string column whose first cell also appears among its later values;
 * - +1 per string column whose later values all have one length that the first cell does not have;
 * - −1 when the first record has duplicate non-empty cells.
 * A positive score means header; a zero score means header when every first cell is non-empty and
 * unique (most real files have one); a single-record input is a header when its cells are all
 * non-empty strings.
 */
export function detectHeader(rows: string[][], isNull: (v: string) => boolean): boolean {
  const first = rows[0];
  if (!first || first.length === 0) return false;
  const firstKinds = first.map((v) => cellKind(v, isNull));
  if (firstKinds.some((k) => k === 'number' || k === 'temporal')) return false;
  const nonEmpty = first.filter((v) => v.trim() !== '');
  const unique = new Set(nonEmpty).size === nonEmpty.length;
  // Word booleans (`y`, `No`) can be column names; they count as names unless their column is boolean.
  const allFilled = nonEmpty.length === first.length && firstKinds.every((k) => k === 'string' || k === 'boolean');
  const rest = rows.slice(1);
  if (rest.length === 0) return allFilled && unique;
  let score = unique ? 0 : -1;
  for (let j = 0; j < first.length; j++) {
    const head = first[j]!;
    if (firstKinds[j] === 'null') continue;
    const values: string[] = [];
    const kinds: CellKind[] = [];
    for (const r of rest) {
      const v = r[j];
      if (v === undefined) continue;
      values.push(v);
      kinds.push(cellKind(v, isNull));
    }
    const kind = columnKind(kinds, values);
    if (firstKinds[j] === 'boolean' && kind === 'boolean') {
      score -= 2;
      continue;
    }
    if (kind === 'number' || kind === 'boolean' || kind === 'temporal') {
      score += 2;
      continue;
    }
    if (kind !== 'string') continue;
    if (values.includes(head)) {
      score -= 1;
      continue;
    }
    const lengths = new Set(values.filter((v, i) => kinds[i] !== 'null').map((v) => v.length));
    if (lengths.size === 1 && !lengths.has(head.length)) score += 1;
  }
  if (score > 0) return true;
  if (score < 0) return false;
  return allFilled && unique;
}

/** Detects what is not given in `input` from a decoded text sample (BOM already removed). */
export function detectDialect(text: string, input: DetectInput): DetectedDialect {
  const quoteGiven = input.quote !== undefined;
  const quote = quoteGiven ? (input.quote ?? null) : detectQuote(text);
  const escape = input.escape !== undefined ? input.escape : quote === null ? null : detectEscape(text, quote);
  let chosen: Candidate;
  const delimiterGiven = input.delimiter !== undefined;
  if (delimiterGiven) {
    chosen = evaluate(text, input.delimiter!, input, quote, escape);
  } else {
    const cands = DELIMITER_CANDIDATES.map((d) => evaluate(text, d, input, quote, escape));
    chosen = pickDelimiter(cands) ?? cands[0]!;
  }
  const headerGiven = input.header !== undefined;
  const header = headerGiven ? input.header! : detectHeader(chosen.rows, input.isNull);
  return {
    delimiter: chosen.delimiter,
    quote,
    escape,
    header,
    lineEnding: detectLineEnding(text, quote),
    modalFieldCount: chosen.mode,
    detected: { delimiter: !delimiterGiven, quote: !quoteGiven, header: !headerGiven },
  };
}
