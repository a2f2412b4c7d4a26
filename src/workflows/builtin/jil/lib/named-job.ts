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
