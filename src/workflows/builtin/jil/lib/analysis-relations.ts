import type { JilAnalysis, JilGraphEdge } from './analysis-schema.js';
import { listNames as list } from '../../overview-question.js';
import { plural } from '../../plural.js';
import { conditionWords, within } from './condition-words.js';

/**
 * "What runs after X", "what does X depend on", "is anything wrong with these jobs": questions about
 * one job's neighbours and about the graph's problems, answered from a dependency analysis. Pure.
 */

export type Direction = 'upstream' | 'downstream';

/** Words just before the job that ask what comes after it: "after X", "what depends on X", "downstream of X". */
const DOWN_BEFORE =
  /\b(?:after|follows?|following|downstream(?: of| from)?|successors? (?:of|to)|dependents? of|depends? on|depending on|waits? (?:on|for)|waiting (?:on|for)|rel(?:y|ies|ying) on|triggered by|started by|kicked off by|needs?)\s+(?:the\s+)?(?:job\s+|box\s+)?$/i;
/** Words just before the job that ask what comes before it: "before X", "upstream of X", "what triggers X". */
const UP_BEFORE =
  /\b(?:before|precedes?|preceding|upstream(?: of| from)?|predecessors? (?:of|to)|prerequisites? (?:of|for)|dependenc(?:y|ies) (?:of|for)|triggers?|starts?|blocks?|blocking|holds? up|holding up|needed (?:by|for)|required (?:by|for)|conditions? (?:of|on|for))\s+(?:the\s+)?(?:job\s+|box\s+)?$/i;
/** Words just after the job that ask what it waits on: "what does X depend on", "X's upstream", "is X waiting for". */
const UP_AFTER = /^(?:'s\s+(?:upstream|dependenc|prerequisite|predecessor|condition)|\s+(?:depends?|depend|waits?|wait|waiting|relies|rely|needs?)\b)/i;
/** Words just after the job that ask what waits on it: "X's downstream", "when X finishes", "once X has run". */
const DOWN_AFTER = /^(?:'s\s+(?:downstream|dependents|successors)|\s+(?:(?:is\s+|has\s+)?(?:finish(?:es|ed)?|ends?|ended|complete[sd]?|succeed(?:s|ed)?)|is done|has run)\b)/i;

/** Which way the question looks from the job at `at` (its name `length` long), or null when it asks neither. */
export function relationDirection(question: string, at: number, length: number): Direction | null {
  const before = question.slice(0, at);
  const after = question.slice(at + length);
  if (UP_AFTER.test(after)) return 'upstream';
  if (DOWN_AFTER.test(after)) return 'downstream';
  if (DOWN_BEFORE.test(before)) return 'downstream';
  if (UP_BEFORE.test(before)) return 'upstream';
  return null;
}

/** True when the question may ask for a job's neighbours (cheap: a pattern, no analysis). */
export const RELATION =
  /\b(?:after|before|follows?|following|upstream|downstream|successors?|predecessors?|prerequisites?|dependents?|depends?|depending|waits?|waiting|rel(?:y|ies|ying)|triggers?|triggered|needs?|needed|precedes?)\b|\bdependenc(?:y|ies) (?:of|for) (?!(?:this|that|these|the|my|our|all|every)\b)|'s dependenc/i;

/** What a condition on `edge` waits for, in words (with its lookback: `its success within the last 6 hours`). */
function waitsFor(edge: JilGraphEdge): string {
  return `${statusWords(edge)}${within(edge.lookbackMinutes)}`;
}

function statusWords(edge: JilGraphEdge): string {
  switch (edge.status) {
    case 'success':
      return 'its success';
    case 'failure':
      return 'its failure';
    case 'terminated':
      return 'its termination';
    case 'done':
      return 'it to end';
    case 'notrunning':
      return 'it not running';
    case 'exitcode':
      return `its exit code${edge.op && edge.value !== undefined ? ` ${edge.op} ${edge.value}` : ''}`;
  }
}

/** Jobs reachable from `job` along the edges, one way, nearest first (the job itself left out); downstream, a box leads to the jobs in it. */
function reach(job: string, analysis: JilAnalysis, direction: Direction): string[] {
  const next = new Map<string, string[]>();
  const link = (a: string, b: string) => next.set(a, [...(next.get(a) ?? []), b]);
  for (const e of analysis.edges) {
    if (direction === 'downstream') link(e.from, e.to);
    else link(e.to, e.from);
  }
  if (direction === 'downstream') for (const n of analysis.nodes) if (n.defined && n.box) link(n.box, n.job);
  const seen = new Set([job]);
  const order: string[] = [];
  for (let i = -1; i < order.length; i++) {
    for (const n of next.get(i < 0 ? job : order[i]!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        order.push(n);
      }
    }
  }
  return order;
}

/** What a box's own condition waits on, as a clause (`, and B waits on A (its success)`), or ''. */
function boxWaits(box: string, analysis: JilAnalysis): string {
  const direct = analysis.edges.filter((e) => e.to === box);
  if (direct.length === 0) return '';
  const alternatives = analysis.alternatives[box];
  return alternatives ? `, which starts once ${conditionWords(alternatives)}` : `, which waits on ${direct.map((e) => `${e.from} (${waitsFor(e)})`).join(', ')}`;
}

/** What `job` waits on (upstream) or what waits on it (downstream): direct conditions, then through others, and its box. */
export function relationAnswer(job: string, direction: Direction, analysis: JilAnalysis): string {
  const node = analysis.nodes.find((n) => n.defined && n.job === job);
  const parts: string[] = [];
  if (direction === 'upstream') {
    const direct = analysis.edges.filter((e) => e.to === job);
    const alternatives = analysis.alternatives[job];
    // a condition with an `or` is said with its structure: a flat list would claim it waits on all of it
    parts.push(
      direct.length === 0
        ? `${job} has no conditions on other jobs.`
        : alternatives
          ? `${job} starts once ${conditionWords(alternatives)}.`
          : `${job} waits on ${direct.map((e) => `${e.from} (${waitsFor(e)})`).join(', ')}.`,
    );
    const through = reach(job, analysis, 'upstream').filter((j) => !direct.some((e) => e.from === j));
    const upstream = new Set(direct.map((e) => e.from));
    if (through.length) parts.push(`Through ${upstream.size === 1 ? 'that' : 'those'}, also on ${list(through)}.`);
    const vars = analysis.variables.filter((v) => v.usedBy.includes(job)).map((v) => v.name);
    if (vars.length) parts.push(`Its condition also tests the global ${vars.length === 1 ? 'variable' : 'variables'} ${list(vars)}.`);
    if (node?.box) parts.push(`It is in box ${node.box}, so it starts only once ${node.box} runs${boxWaits(node.box, analysis)}.`);
    else if (direct.length === 0) parts.push('It starts on its own schedule or when started.');
  } else {
    const direct = analysis.edges.filter((e) => e.from === job);
    const inside = analysis.nodes.filter((n) => n.defined && n.box === job).map((n) => n.job);
    if (direct.length === 0 && inside.length === 0) return `No job in this file waits on ${job}.`;
    if (direct.length) parts.push(`Waiting on ${job}: ${direct.map((e) => `${e.to} (for ${waitsFor(e)})`).join(', ')}.`);
    else parts.push(`No job in this file has a condition on ${job}.`);
    const through = reach(job, analysis, 'downstream').filter((j) => !direct.some((e) => e.to === j) && !inside.includes(j));
    if (through.length) parts.push(`After ${direct.length === 1 ? 'that' : 'those'}, in turn: ${list(through)}.`);
    if (inside.length) parts.push(`As a box it runs ${plural(inside.length, 'job')} inside it: ${list(inside)}.`);
  }
  return parts.join(' ');
}

/** The graph's problems in words: cycles, references to jobs the file does not define, and what would never start. */
export function problemsAnswer(analysis: JilAnalysis): string {
  const found: string[] = [];
  if (analysis.cycles.length) {
    found.push(`${plural(analysis.cycles.length, 'cycle')}${analysis.cyclesTruncated ? ' (or more)' : ''} (jobs that wait on themselves): ${analysis.cycles.slice(0, 5).map((c) => [...c, c[0]].join(' → ')).join('; ')}`);
  }
  if (analysis.undefinedJobs.length) {
    const shown = analysis.undefinedJobs.slice(0, 10).map((u) => `${u.job} (used by ${list(u.referencedBy)})`);
    found.push(`conditions on ${plural(analysis.undefinedJobs.length, 'job')} this file does not define: ${shown.join(', ')}${analysis.undefinedJobs.length > shown.length ? ` and ${analysis.undefinedJobs.length - shown.length} more` : ''}`);
  }
  if (found.length === 0) return 'The dependency graph has no problems: no cycles, and every job a condition names is defined in the file.';
  return `In the dependency graph: ${found.join('; ')}.`;
}
