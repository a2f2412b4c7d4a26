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
