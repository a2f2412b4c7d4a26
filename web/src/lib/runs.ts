import type { PlanStepView, SessionEvent } from '../api/types';

export type StepStatus = 'queued' | 'running' | 'retrying' | 'done' | 'failed' | 'skipped';

export interface StepState extends PlanStepView {
  status: StepStatus;
  startedAt?: number;
  ms?: number;
  error?: string;
  reason?: string;
  artifacts: string[];
}

export interface RunState {
  runId: string;
  jobId: string;
  workflow: string;
  startedAt: number;
  finishedAt?: number;
  status: 'running' | 'completed' | 'failed';
  error?: string;
  steps: StepState[];
  /** False when the server sent step ids only (no dependencies): the graph shows them in a row. */
  hasEdges: boolean;
}

function stepsFrom(e: Extract<SessionEvent, { type: 'run.started' }>): { steps: StepState[]; hasEdges: boolean } {
  if (e.steps?.length) return { steps: e.steps.map((s) => ({ ...s, dependsOn: [...s.dependsOn], status: 'queued', artifacts: [] })), hasEdges: true };
  return {
    steps: e.nodes.map((id) => {
      const [workflow, node] = splitStep(id);
      return { id, workflow, node, dependsOn: [], status: 'queued', artifacts: [] };
    }),
    hasEdges: false,
  };
}

function splitStep(id: string): [string, string] {
  const i = id.lastIndexOf('.');
  return i > 0 ? [id.slice(0, i), id.slice(i + 1)] : [id, id];
}

function patchStep(run: RunState, id: string, patch: Partial<StepState>, workflow?: string, node?: string): RunState {
  let found = false;
  const steps = run.steps.map((s) => {
    if (s.id !== id) return s;
    found = true;
    return { ...s, ...patch };
  });
  // a step the plan did not announce (an older server): add it so its progress still shows
  if (!found) steps.push({ id, workflow: workflow ?? id, node: node ?? id, dependsOn: [], status: 'queued', artifacts: [], ...patch });
  return { ...run, steps };
}

/** Folds one WebSocket event into the list of runs (newest last). Pure: returns a new array when something changed. */
export function reduceRuns(runs: RunState[], e: SessionEvent): RunState[] {
  const now = Date.parse('at' in e ? e.at : '') || Date.now();
  if (e.type === 'run.started') {
    if (runs.some((r) => r.runId === e.runId)) return runs;
    const { steps, hasEdges } = stepsFrom(e);
    return [...runs, { runId: e.runId, jobId: e.jobId, workflow: e.workflow, startedAt: now, status: 'running', steps, hasEdges }];
  }
  if (!('runId' in e)) return runs;
  const i = runs.findIndex((r) => r.runId === e.runId);
  if (i < 0) return runs;
  const run = runs[i]!;
  let next: RunState = run;
  switch (e.type) {
    case 'node.started':
      next = patchStep(run, e.step, { status: 'running', startedAt: now }, e.workflow, e.node);
      break;
    case 'node.finished':
      next = patchStep(run, e.step, { status: 'done', ms: e.ms, artifacts: e.artifacts }, e.workflow, e.node);
      break;
    case 'node.failed':
      next = patchStep(run, e.step, { status: e.willRetry ? 'retrying' : 'failed', error: e.error }, e.workflow, e.node);
      break;
    case 'node.skipped':
      next = patchStep(run, e.step, { status: 'skipped', reason: e.reason });
      break;
    case 'run.finished':
      next = {
        ...run,
        status: e.status,
        finishedAt: now,
        ...(e.error ? { error: e.error } : {}),
        // a retry that never came: the run is over, so the step failed
        steps: e.status === 'failed' ? run.steps.map((s) => (s.status === 'retrying' ? { ...s, status: 'failed' as const } : s)) : run.steps,
      };
      break;
    default:
      return runs;
  }
  const out = runs.slice();
  out[i] = next;
  return out;
}

/** Column of each step: 0 for steps with no dependencies, else one past its deepest dependency. */
export function layers(steps: PlanStepView[]): Map<string, number> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const s = byId.get(id);
    if (!s || seen.has(id)) return 0;
    seen.add(id);
    const d = s.dependsOn.filter((x) => byId.has(x)).reduce((m, x) => Math.max(m, visit(x, seen) + 1), 0);
    depth.set(id, d);
    return d;
  };
  for (const s of steps) visit(s.id, new Set());
  return depth;
}
