import { editDistance } from '../../../../text/edit-distance.js';
import { looksLikeName } from '../../../../text/name-token.js';

/**
 * The job a question names and where: the longest of `names` found as a whole token of the question
 * (case-insensitive, trailing dots dropped), so `LOAD_ALL` beats `LOAD`. Null when none is named.
 */
export function findNamedJob(question: string, names: Iterable<string>): { job: string; at: number; length: number } | null {
  const byLower = new Map<string, string>();
  for (const n of names) byLower.set(n.toLowerCase(), n);
  let best: { job: string; at: number; length: number } | null = null;
  for (const m of question.matchAll(/[A-Za-z0-9_#.@-]+/g)) {
    const token = m[0].replace(/[.]+$/, '');
    const job = byLower.get(token.toLowerCase());
    if (job && (!best || job.length > best.job.length)) best = { job, at: m.index, length: token.length };
  }
  return best;
}

/** A token that reads as a job name: `SALES_LOAD`, `foo.job`, `ETL1` (not a plain word such as `JIL`). */
const IDENTIFIER = /\b[A-Za-z0-9]+[_.#@-][A-Za-z0-9_.#@-]*[A-Za-z0-9]\b|\b[A-Z]+[0-9][A-Z0-9]*\b/;

/** True when the question holds a token that reads as a job name (cheap: no file needed). */
export function namesAJob(question: string): boolean {
  return IDENTIFIER.test(question);
}

/**
 * The first token of the question that reads as a job name but names none of `names`, with where
 * it is: `NOPE_JOB` in "when does NOPE_JOB run?". A token counts when it has `_`, `#`, `@` or a
 * digit in it, or is written in capitals (`FOO-BAR`); plain hyphenated words (`month-end`), file
 * names, artifact ids, dates and times do not. Null when there is none.
 */
export function findUnknownJob(question: string, names: Iterable<string>): { token: string; at: number; length: number } | null {
  const known = new Set<string>();
  for (const n of names) known.add(n.toLowerCase());
  for (const m of question.matchAll(new RegExp(IDENTIFIER.source, 'g'))) {
    const token = m[0].replace(/[.]+$/, '');
    if (!looksLikeName(token, 4) || known.has(token.toLowerCase())) continue;
    return { token, at: m.index, length: token.length };
  }
  return null;
}

/**
 * "There is no job X in this file", with up to three names of the file that are spelt nearly the
 * same (or, when none is, that start the same way: `SALES_…` for `SALES_FOO`).
 */
export function noSuchJobAnswer(token: string, names: readonly string[]): string {
  const max = Math.max(2, Math.floor(token.length / 3));
  const near = names
    .map((n) => ({ n, d: editDistance(token.toLowerCase(), n.toLowerCase(), max) }))
    .filter((c) => c.d <= max)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map((c) => c.n);
  const head = token.split(/[_.#@-]/)[0]!.toLowerCase();
  const alike = near.length ? near : names.filter((n) => head.length >= 2 && n.toLowerCase().startsWith(head)).slice(0, 5);
  const hint = alike.length ? ` ${near.length ? 'Did you mean' : 'Jobs whose names start the same way:'} ${alike.join(near.length ? ' or ' : ', ')}${near.length ? '?' : '.'}` : '';
  return `There is no job ${token} in this file (${names.length} job${names.length === 1 ? '' : 's'} in it).${hint}`;
}

/** Where one question of several ends: `?`, `;`, or "and" before another question word. */
const CLAUSE_BREAK = /[?;]|,?\s+and\s+(?=(?:what|which|when|how|who|where|is|are|does|do|tell|list|show)\b)/i;

/**
 * The part of a question of several ("what runs after X and when does Y run?") that `re` matches,
 * so each answer looks for its job in its own part; the whole question when it has one part or
 * none matches.
 */
export function clauseWith(question: string, re: RegExp): string {
  const parts = question.split(CLAUSE_BREAK).filter((p) => p.trim() !== '');
  if (parts.length < 2) return question;
  return parts.find((p) => re.test(p)) ?? question;
}
