import type { JilAnalysis } from './analysis-schema.js';
import { isProblemsQuestion, listNames as list } from '../../overview-question.js';
import { clauseWith, findNamedJob, findUnknownJob, namesAJob, noSuchJobAnswer } from './named-job.js';
import { problemsAnswer, RELATION, relationAnswer, relationDirection } from './analysis-relations.js';

/**
 * Plain-English questions a dependency analysis answers directly, so the reply says it instead of
 * pointing at the JSON: "which jobs have no upstream" (the roots) and "what breaks if X fails" (what
 * waits, directly or through others, on X's success; with the jobs inside every box that will not
 * start), "what runs after X" / "what does X depend on" (its neighbours, see analysis-relations.ts)
 * and "is anything wrong" (cycles, undefined references). Pure; null when the question is not one
 * of these or names no job of the file.
 */

/** Asks for jobs without upstream: "no upstream", "root jobs", "start first", "entry points". */
const ROOTS = /\b(?:no|without(?: any)?|zero)\s+(?:upstreams?|predecessors?|dependenc(?:y|ies)|prerequisites?|conditions?)\b|\broot(?:s| jobs?)\b|\b(?:start|run)s? first\b|\bentry points?\b|\bnothing (?:upstream|before)\b/i;
/** Asks for the downstream impact of one job. */
const IMPACT = /\b(?:what|which(?: jobs?)?)\b.*\b(?:breaks?|broken|fails?|affected|impacted|stops?|blocked|depends? on|waits? (?:on|for)|downstream)\b|\bimpact of\b|\bdownstream of\b|\bif\b.*\b(?:fails?|failed|breaks?|goes down|is down)\b/i;

/** Asks which boxes there are. */
const BOXES = /\b(?:which|what|list|show|any|how many)\b.*\bbox(?:es)?\b/i;
/** Asks what box a job is in, or what a box holds ("is X in a box", "which jobs are in B", "what's inside B"). */
const IN_BOX = /\bin (?:a |the |which |what )?box\b|\bbelongs?\b|\bpart of\b|\binside\b|\bcontains?\b|\bholds?\b|\bjobs are in\b|\bwhat(?:'s| is) in\b/i;
/** Asks for the longest chain of jobs. */
const CRITICAL = /\bcritical path\b|\blongest (?:chain|path|sequence|run)\b/i;
/** Asks about cycles. */
const CYCLES = /\b(?:cycles?|cyclic|loops?|circular)\b/i;

/** Words of a failure: "what breaks if X fails" asks for its impact, not its plain downstream. */
const FAILURE = /\b(?:breaks?|broken|fails?|failed|failing|affected|impacted|impact|blocked|goes down|is down)\b/i;
/** Words of a question about the job graph: neighbours, failure impact, boxes. */
const ABOUT_GRAPH = new RegExp([RELATION.source, IMPACT.source, IN_BOX.source, FAILURE.source].join('|'), 'i');

/** True when the question is one `answerAnalysisQuestion` may answer (cheap: no analysis needed). */
export function isAnalysisQuestion(question: string): boolean {
  // "what's in …" is about a box only when it names one (a `JOB_NAME`-like token)
  const inBox = IN_BOX.test(question) && namesAJob(question);
  return inBox || [ROOTS, IMPACT, BOXES, CYCLES, CRITICAL, RELATION].some((re) => re.test(question)) || isProblemsQuestion(question);
}

/** The answer (one sentence per thing asked: roots, boxes, cycles, problems), or null. */
export function answerAnalysisQuestion(whole: string, analysis: JilAnalysis): string | null {
  // of several questions in one message, the one about the graph ("what runs after X and when does Y run?")
  const question = clauseWith(whole, ABOUT_GRAPH);
  const named = namedJob(question, analysis);
  if (!named) {
    // a question about one job's neighbours, box or failure that names none of this file's: say so
    // (a job only referenced, never defined, is known to the analysis: it is not "no such job")
    const unknown = findUnknownJob(question, analysis.nodes.map((n) => n.job));
    const names = analysis.nodes.filter((n) => n.defined).map((n) => n.job);
    if (unknown && (BOXES.test(question) || IN_BOX.test(question) || IMPACT.test(question) || relationDirection(question, unknown.at, unknown.length))) return noSuchJobAnswer(unknown.token, names);
  }
  if (named && (BOXES.test(question) || IN_BOX.test(question))) return boxOfAnswer(named.job, analysis);
  if (named) {
    const direction = relationDirection(question, named.at, named.length);
    if (FAILURE.test(question) && IMPACT.test(question)) return impactAnswer(named.job, analysis);
    if (direction) return relationAnswer(named.job, direction, analysis);
    if (IMPACT.test(question)) return impactAnswer(named.job, analysis);
  }
  // questions about the whole file read the whole message
  const parts: string[] = [];
  if (ROOTS.test(whole)) {
    const roots = analysis.roots;
    parts.push(
      roots.length === 0
        ? 'Every job in this file waits on another job (no job without upstream).'
        : `Jobs with no upstream (${roots.length}, they start on their own schedule or when started): ${list(roots)}.`,
    );
  }
  if (BOXES.test(whole)) parts.push(boxesAnswer(analysis));
  if (CYCLES.test(whole)) {
    const { cycles } = analysis;
    parts.push(
      cycles.length === 0
        ? 'There are no cycles: no job waits, directly or through others, on itself.'
        : `${cycles.length}${analysis.cyclesTruncated ? '+' : ''} cycle${cycles.length === 1 ? '' : 's'} (jobs that wait on themselves through others): ${cycles
            .slice(0, 10)
            .map((c) => [...c, c[0]].join(' → '))
            .join('; ')}.`,
    );
  }
  if (CRITICAL.test(whole)) {
    const { jobs } = analysis.criticalPath;
    parts.push(jobs.length < 2 ? 'No job waits on another, so the longest chain is a single job.' : `The longest chain of jobs (the critical path) has ${jobs.length} jobs: ${jobs.slice(0, 40).join(' → ')}${jobs.length > 40 ? ` → … (${jobs.length - 40} more)` : ''}.`);
  }
  if (isProblemsQuestion(whole) && !CYCLES.test(whole)) parts.push(problemsAnswer(analysis));
  return parts.length ? parts.join(' ') : null;
}

/** "Which box is X in" / "what is in box B": the boxes around a job, or what a box holds. */
function boxOfAnswer(job: string, analysis: JilAnalysis): string {
  const byJob = new Map(analysis.nodes.map((n) => [n.job, n]));
  const node = byJob.get(job);
  if (node?.type === 'BOX') {
    const inside = analysis.nodes.filter((n) => n.defined && n.box === job).map((n) => n.job);
    return inside.length ? `Box ${job} holds ${inside.length}: ${list(inside)}.` : `Box ${job} is empty.`;
  }
  const around: string[] = [];
  for (let box = node?.box ?? null; box !== null && around.length < 100 && !around.includes(box); box = byJob.get(box)?.box ?? null) around.push(box);
  if (around.length === 0) return `${job} is not in a box.`;
  return `${job} is in box ${around[0]}${around.length > 1 ? ` (inside ${around.slice(1).join(', inside ')})` : ''}.`;
}

function boxesAnswer(analysis: JilAnalysis): string {
  const boxes = analysis.nodes.filter((n) => n.defined && n.type === 'BOX');
  if (boxes.length === 0) return 'There are no boxes in this file.';
  const shown = boxes.slice(0, 20).map((b) => {
    const inside = analysis.nodes.filter((n) => n.defined && n.box === b.job).map((n) => n.job);
    return `${b.job}${b.box ? ` (in ${b.box})` : ''}: ${inside.length ? list(inside) : 'empty'}`;
  });
  return `Boxes (${boxes.length}): ${shown.join('; ')}${boxes.length > shown.length ? `; and ${boxes.length - shown.length} more` : ''}.`;
}

/** The defined job the question names and where. */
function namedJob(question: string, analysis: JilAnalysis): { job: string; at: number; length: number } | null {
  return findNamedJob(question, analysis.nodes.filter((n) => n.defined).map((n) => n.job));
}

function impactAnswer(job: string, analysis: JilAnalysis): string {
  const boxOf = new Map(analysis.nodes.map((n) => [n.job, n.box]));
  const inside = (box: string): string[] => analysis.nodes.filter((n) => n.defined && n.box === box).map((n) => n.job);
  // jobs that will not run: they wait for the success (or an exit code) of a job that did not succeed
  const blocked = new Set<string>();
  const queue = [job];
  const mark = (name: string): void => {
    if (name === job || blocked.has(name)) return;
    blocked.add(name);
    queue.push(name);
  };
  for (let i = 0; i < queue.length; i++) {
    const cur = queue[i]!;
    // the failed job still ends (its done/failure waiters start, and its exit-code waiters depend on
    // the code it fails with); a job that never runs never ends at all
    const waits = (status: string): boolean => (cur === job ? status === 'success' : status !== 'notrunning');
    for (const e of analysis.edges) if (e.from === cur && waits(e.status)) mark(e.to);
    // a box that does not start leaves its jobs unstarted
    if (cur !== job) for (const child of inside(cur)) mark(child);
    // a failed or never-run job keeps every box around it from succeeding: what waits on their success does not run
    let steps = 0;
    for (let box = boxOf.get(cur) ?? null; box !== null && steps < 10_000; box = boxOf.get(box) ?? null, steps++) {
      for (const e of analysis.edges) if (e.from === box && (e.status === 'success' || e.status === 'exitcode')) mark(e.to);
    }
  }
  const triggered = analysis.edges.filter((e) => e.from === job && (e.status === 'failure' || e.status === 'terminated')).map((e) => e.to);
  const byCode = analysis.edges.filter((e) => e.from === job && e.status === 'exitcode' && !blocked.has(e.to));
  const parts: string[] = [];
  if (blocked.size === 0) parts.push(`Nothing in this file waits for ${job} to succeed, so its failure blocks no other job.`);
  else parts.push(`If ${job} fails, ${blocked.size} job${blocked.size === 1 ? '' : 's'} waiting on it (directly or through others) will not run: ${list([...blocked])}.`);
  if (triggered.length) parts.push(`Its failure starts ${list([...new Set(triggered)])} (they wait for it to fail).`);
  if (byCode.length) {
    const tests = [...new Set(byCode.map((e) => `${e.to} (e(${job}) ${e.op ?? '='} ${e.value ?? '?'})`))];
    parts.push(`Whether ${tests.length === 1 ? 'this one runs' : 'these run'} depends on the exit code it fails with: ${tests.join(', ')}.`);
  }
  return parts.join(' ');
}
