import { z } from 'zod';

/**
 * What an artifact holds, for the planner: `jil` (a raw AutoSys export), `jil.parsed`, `csv`,
 * `csv.profile`, … Lower-case dotted words; open-ended, so a custom workflow may declare its own.
 * Workflow parameters declare the kinds they accept and workflows the kinds they produce; the
 * planner inserts the producers a request needs (see src/planning/prerequisites.ts).
 */
export const ArtifactKind = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'expected a kind like jil, jil.parsed or csv.profile');
export type ArtifactKind = z.infer<typeof ArtifactKind>;

/** The kinds the built-in workflows use, with what each one holds (README and docs list them). */
export const KNOWN_KINDS = {
  jil: 'a raw AutoSys JIL export (uploaded, or text that looks like JIL)',
  'jil.parsed': 'parsed JIL: every job, object, override and deletion as JSON (jil.parse)',
  'jil.analysis': 'the dependency analysis of a parsed JIL (jil.analyze)',
  'jil.mermaid': 'a Mermaid flowchart of the JIL dependencies (jil.analyze)',
  'airflow.dag': 'one Airflow DAG Python file (jil.to_airflow)',
  'airflow.report': 'how every JIL dependency was carried into Airflow (jil.to_airflow)',
  csv: 'a raw delimited text file (uploaded, or sniffed as CSV)',
  'csv.profile': 'a CSV profile: dialect, per-column types and statistics (csv.profile)',
  'csv.quality': 'a data-quality report (csv.quality)',
  'sql.ddl': 'a CREATE TABLE statement (csv.schema_ddl)',
  'context.snapshot': 'a saved session context (the context manager)',
  text: 'any other text',
  json: 'any other JSON',
  binary: 'anything else',
} as const satisfies Record<string, string>;

/**
 * Where an artifact came from, so an identical later request can reuse it instead of recomputing:
 * the workflow that wrote it, the artifacts its declared artifact parameters named, and a hash of
 * its other declared parameters (see `derivationOf` in src/planning/derivation.ts).
 */
export const Derivation = z
  .object({
    workflow: z.string().min(1).max(200),
    /** Artifact ids the workflow's artifact parameters named, sorted. */
    inputs: z.array(z.string().min(1).max(200)).max(100),
    /** Hex SHA-256 of the canonical JSON of the other declared parameters. */
    paramsHash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type Derivation = z.infer<typeof Derivation>;

const JIL_LINE = /^[ \t]*(insert_job|update_job|override_job|delete_job|delete_box|insert_machine|delete_machine|update_machine|insert_resource|update_resource|delete_resource)[ \t]*:/im;
const JIL_NAMES = /\.(jil|job|jobs)$/i;
const CSV_NAMES = /\.(csv|tsv|psv)(\.gz)?$/i;

/** What the guess looks at: the name, the declared types and, for uploads, the first bytes. */
export interface KindHints {
  name?: string | null | undefined;
  /** The coarse content kind (`json`, `text`, `csv`, `binary`, …). */
  contentType?: string | null | undefined;
  mimeType?: string | null | undefined;
  /** The first bytes of the content (a few KB is plenty), when they are at hand. */
  head?: Uint8Array | string | undefined;
}

/**
 * The kind of an artifact nobody declared: content that is not text → `binary`, whatever its name;
 * a `.jil` name or JIL-looking text → `jil`; a `.csv` name, a `text/csv` type or text that sniffs as delimited rows → `csv`; JSON → `json`; other text
 * → `text`; else `binary`. Pure and cheap: it reads at most the given head.
 */
export function guessKind(h: KindHints): ArtifactKind {
  const name = h.name ?? '';
  const mime = (h.mimeType ?? '').toLowerCase();
  const head = typeof h.head === 'string' ? h.head : h.head ? Buffer.from(h.head.buffer, h.head.byteOffset, Math.min(h.head.byteLength, 64 * 1024)).toString('utf8') : undefined;
  // bytes that are not text are binary whatever the name says (a PNG renamed .jil is no JIL)
  if (head !== undefined && looksBinary(head)) return 'binary';
  if (JIL_NAMES.test(name)) return 'jil';
  if (head !== undefined && JIL_LINE.test(head)) return 'jil';
  if (CSV_NAMES.test(name) || h.contentType === 'csv' || /^text\/(csv|tab-separated-values)/.test(mime)) return 'csv';
  if (h.contentType === 'json' || /\.json$/i.test(name) || /[/+]json\b/.test(mime)) return 'json';
  if (head !== undefined) {
    if (looksDelimited(head)) return 'csv';
    return 'text';
  }
  if (h.contentType === 'text' || mime.startsWith('text/')) return 'text';
  return 'binary';
}

function looksBinary(head: string): boolean {
  // NUL bytes or many replacement characters: not text we can read.
  let bad = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) return true;
    if (c === 0xfffd) bad++;
  }
  return bad > head.length / 20;
}

/** At least two complete lines with the same count (≥ 1) of one of `,` `;` `\t` `|`. */
function looksDelimited(head: string): boolean {
  const lines = head.split(/\r\n|\n|\r/);
  if (lines.length > 1) lines.pop(); // the last line may be cut short
  const rows = lines.filter((l) => l.trim() !== '').slice(0, 20);
  if (rows.length < 2) return false;
  return [',', ';', '\t', '|'].some((d) => {
    const counts = rows.map((r) => countOutsideQuotes(r, d));
    return counts[0]! > 0 && counts.every((c) => c === counts[0]);
  });
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}
