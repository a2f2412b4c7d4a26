import type { DagModel, Endpoint, Scope, TaskNode } from './model.js';

/**
 * A DAG with `schedule=None` is only ever started by hand (or by something that triggers it). When the
 * tasks it would start with are all sensors, the AutoSys original started as soon as the upstreams were
 * done; in Airflow nothing starts it, and a manual run's sensors look for upstream runs of the manual
 * run's own logical date, which do not exist. Returns the message of the TODO that says so, or null when
 * the DAG has a schedule or starts with a task that is not a sensor.
 */
export function neverStartsMessage(dag: DagModel, scheduled: boolean): string | null {
  if (scheduled) return null;
  const entries = entryTasks(dag);
  if (entries.length === 0 || entries.some((t) => t.role !== 'sensor')) return null;
  const waits = [...new Set(entries.map((t) => t.waitsFor ?? t.taskId))];
  const dagsWaited = waits.filter((w) => w.startsWith('DAG ')).map((w) => w.slice(4));
  const fix =
    dagsWaited.length > 0
      ? `give it the schedule of ${dagsWaited.join(', ')} (so the sensors look at runs of the same logical date), or start it from ${dagsWaited.length === 1 ? 'that DAG' : 'those DAGs'} with a TriggerDagRunOperator (and drop the sensors), or schedule it on a Dataset the upstream produces`
      : 'give it a schedule (the sensors then wait within each run), or trigger it from whatever sets the value';
  return `this DAG never starts by itself: schedule=None and its only start tasks are sensors (${entries.map((t) => t.taskId).join(', ')} waiting for ${waits.join(', ')}), so nothing ever triggers it; ${fix}`;
}

/** Tasks with no upstream: no edge ends at them or at any TaskGroup that encloses them. */
export function entryTasks(dag: DagModel): TaskNode[] {
  const targets = new Set<Endpoint>(dag.links.map((l) => l.to));
  const out: TaskNode[] = [];
  const walk = (scope: Scope, reached: boolean): void => {
    const inner = reached || (scope !== dag.root && targets.has(scope));
    const visit = (t: TaskNode): void => {
      if (!inner && !targets.has(t)) out.push(t);
    };
    if (scope.start) visit(scope.start);
    for (const item of scope.items) {
      if (item.kind === 'task') visit(item);
      else walk(item, inner);
    }
    for (const e of scope.extras) visit(e);
  };
  walk(dag.root, false);
  return out;
}
