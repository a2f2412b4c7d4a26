import type { JilConditionNode, JilStatus } from './condition-schema.js';

/**
 * A JIL condition in plain English, keeping its and/or structure: `(s(A) & s(B)) | t(B)` →
 * "either A and B have both succeeded, or B was terminated". Pure.
 */

/** A status as a verb: for one job (`has succeeded`) and for several (`have` + both/all + `succeeded`). */
const STATUS_WORDS: Record<JilStatus, { one: string; many: string; rest: string }> = {
  success: { one: 'has', many: 'have', rest: 'succeeded' },
  failure: { one: 'has', many: 'have', rest: 'failed' },
  terminated: { one: 'was', many: 'were', rest: 'terminated' },
  done: { one: 'has', many: 'have', rest: 'ended' },
  notrunning: { one: 'is', many: 'are', rest: 'not running' },
};

const OPS: Record<string, string> = { '=': '', '!=': 'other than ', '<': 'below ', '<=': 'at most ', '>': 'above ', '>=': 'at least ' };

/** `150` → `2 h 30 min`; `360` → `6 hours`. */
export function lookbackWords(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  if (m === 0) return h === 1 ? '1 hour' : `${h} hours`;
  return `${h} h ${m} min`;
}

/** A job reference with its instance (`FX_RATES_LOAD of instance DR1`). */
function jobRef(job: string, instance: string | undefined): string {
  return instance ? `${job} (of instance ${instance})` : job;
}

/** A lookback as a clause to append (` within the last 6 hours`, ` since this job last ran`), or ''. */
export function within(lookbackMinutes: number | undefined): string {
  if (lookbackMinutes === undefined) return '';
  return lookbackMinutes === 0 ? ' since this job last ran' : ` within the last ${lookbackWords(lookbackMinutes)}`;
}

/** True when the condition has an `or` anywhere: a flat list of what it waits on would misstate it. */
export function hasAlternatives(node: JilConditionNode): boolean {
  return node.kind === 'or' || (node.kind === 'and' && node.operands.some(hasAlternatives));
}

/** The condition in words. */
export function conditionWords(node: JilConditionNode): string {
  switch (node.kind) {
    case 'status':
      return `${jobRef(node.job, node.instance)} ${STATUS_WORDS[node.status].one} ${STATUS_WORDS[node.status].rest}${within(node.lookbackMinutes)}`;
    case 'exitcode':
      return `${jobRef(node.job, node.instance)} ended with an exit code ${OPS[node.op] ?? `${node.op} `}${node.value}${within(node.lookbackMinutes)}`;
    case 'value':
      return `global variable ${node.name}${node.instance ? ` (of instance ${node.instance})` : ''} is ${OPS[node.op] ?? `${node.op} `}"${node.value}"`;
    case 'and': {
      // `s(A) & s(B) & s(C)` → "A, B and C have all succeeded"
      const same = sameStatus(node.operands);
      if (same) {
        const w = STATUS_WORDS[same.status];
        return `${joinAnd(same.jobs)} ${w.many} ${same.jobs.length === 2 ? 'both' : 'all'} ${w.rest}`;
      }
      return joinAnd(node.operands.map((o) => (o.kind === 'or' ? `(${conditionWords(o)})` : conditionWords(o))));
    }
    case 'or':
      return `either ${node.operands.map((o) => conditionWords(o)).join(', or ')}`;
  }
}

/** Operands that are all plain status atoms of one status (no instance, no lookback): their jobs and the status. */
function sameStatus(operands: JilConditionNode[]): { jobs: string[]; status: JilStatus } | null {
  const first = operands[0];
  if (!first || first.kind !== 'status') return null;
  const jobs: string[] = [];
  for (const o of operands) {
    if (o.kind !== 'status' || o.status !== first.status || o.instance !== undefined || o.lookbackMinutes !== undefined) return null;
    jobs.push(o.job);
  }
  return { jobs, status: first.status };
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
