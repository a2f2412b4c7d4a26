import type { JilConditionAtom, JilConditionNode } from '../condition-schema.js';
import type { JilJob } from '../parse-schema.js';
import { airflowId } from './ids.js';
import { addEdge, addTask, isWithin, jobTasksOf, type AirflowModel, type DagModel, type Scope, type TaskNode } from './model.js';
import { IMPORTS } from './operators.js';
import { PyTuple, pyCommentText, pyStr, pyValue } from './python.js';
import type { AirflowEdge } from './schema.js';

/**
 * Conditions → dependencies, never silently an AND edge:
 *
 * - The top-level AND's atoms on jobs of the same DAG become edges `upstream >> task` and the task's
 *   trigger rule says which states count: all success → all_success, all done → all_done, all
 *   failure/terminated → all_failed (terminated maps to Airflow's failed).
 * - A mix of statuses (`s(A) & f(B)`), a box upstream with a non-success status, an OR inside an AND, or
 *   a task that must also wait for its box's start: the upstreams feed a guard (ShortCircuitOperator,
 *   trigger all_done, skipping only its direct downstream) that evaluates the whole expression from the
 *   upstream task states; the task then runs on all_success.
 * - A plain OR of same-status atoms on tasks of the same DAG: edges + one_success / one_failed / one_done.
 * - An upstream in another DAG: an ExternalTaskSensor (allowed_states from the status); a global
 *   variable test `v(X) = "y"`: a PythonSensor on the Airflow Variable X (inside an OR: checked by the guard).
 * - notrunning, exit codes, lookbacks, other instances (`^INS`), jobs not in the file, a box and its own
 *   content, cross-DAG atoms inside an OR: an explicit `# TODO(jil): …` comment plus a report entry
 *   (exit codes and lookbacks still get their ordering edge).
 * A box with a condition gets a start task (EmptyOperator) inside its group that carries the condition and
 * precedes every job of the box.
 */

export interface PlanContext {
  model: AirflowModel;
  /** True when `upstream >> downstream` inside one DAG would close a cycle (see cycles.ts). */
  cyclic(upstream: string, downstream: string): boolean;
  sensorMode: 'reschedule' | 'poke';
  todo(node: TaskNode, message: string): string;
  note(node: TaskNode, message: string): void;
  edge(e: AirflowEdge): void;
  warn(dagId: string, job: string, message: string): void;
}

type Status = 'success' | 'failure' | 'done';

type Ref =
  | { kind: 'local'; up: TaskNode | Scope; group: boolean; fullIds: string[] }
  | { kind: 'external'; dagId: string; taskId: string | null; groupId: string | null; group: boolean }
  | { kind: 'todo'; reason: string };

interface Target {
  job: JilJob;
  node: TaskNode;
  /** Where the guard and sensors go. */
  scope: Scope;
  dag: DagModel;
  /** The task also waits for an enclosing box's start task, so it must run on all_success. */
  force: boolean;
}

const SENSOR_STATES: Record<Status, string[]> = { success: ['success'], failure: ['failed'], done: ['success', 'failed'] };

function atomText(a: JilConditionAtom): string {
  if (a.kind === 'value') return `v(${a.name}${a.instance ? `^${a.instance}` : ''}) ${a.op} ${JSON.stringify(a.value)}`;
  const ref = `${a.job}${a.instance ? `^${a.instance}` : ''}${a.lookbackMinutes !== undefined ? `, ${a.lookbackMinutes} min lookback` : ''}`;
  return a.kind === 'exitcode' ? `exitcode(${ref}) ${a.op} ${a.value}` : `${a.status}(${ref})`;
}

function fromName(a: Exclude<JilConditionAtom, { kind: 'value' }>): string {
  return a.instance === undefined ? a.job : `${a.job}^${a.instance}`;
}

function scopeOf(node: TaskNode | Scope): Scope {
  return node.kind === 'task' ? node.scope : node;
}

/** Creates the start task of every box that has a condition (before any planning). */
export function createStartTasks(model: AirflowModel): void {
  for (const [name, place] of model.places) {
    if (place.node.kind === 'task' || place.node.job?.name !== name) continue;
    const job = model.index.byName.get(name);
    if (!job?.condition) continue;
    const start = addTask(place.node, { role: 'start', job: null, baseId: 'jil_box_start', varPrefix: 's_', operator: 'EmptyOperator' }, 'start');
    start.args = [['task_id', pyStr(start.taskId)], ['doc_md', pyStr(`Start of box ${job.name}: carries the box's condition.`)]];
    place.dag.imports.add(IMPORTS.EmptyOperator);
  }
}

/** Plans the dependencies of one job that has a condition. */
export function planJob(job: JilJob, ctx: PlanContext): void {
  const place = ctx.model.places.get(job.name);
  if (!place) return;
  let target: Target;
  if (place.node.kind === 'task') {
    target = { job, node: place.node, scope: place.node.scope, dag: place.dag, force: hasStartFrom(place.node.scope) };
  } else if (place.node.job?.name !== job.name) {
    // a box flattened into an enclosing TaskGroup (too deep): its condition has no task to carry it
    const host = place.node.start ?? place.node.items.find((i): i is TaskNode => i.kind === 'task');
    if (host) ctx.todo(host, `box ${job.name} was flattened into this TaskGroup; its condition ${JSON.stringify(job.condition?.raw ?? '')} is not translated`);
    return;
  } else {
    const start = place.node.start;
    if (!start) return;
    target = { job, node: start, scope: place.node, dag: place.dag, force: hasStartFrom(place.node.parent) };
  }
  if (!job.condition) {
    const raw = job.attributes.condition;
    if (typeof raw === 'string' && raw.trim() !== '') ctx.todo(target.node, `the condition ${JSON.stringify(raw)} could not be parsed; translate it by hand`);
    return;
  }
  new Planner(target, ctx).plan(job.condition.ast);
}

/** Wires every box start task before the box's jobs and groups. */
export function wireStartTasks(model: AirflowModel): void {
  for (const place of model.places.values()) {
    if (place.node.kind === 'task' || !place.node.start) continue;
    const scope = place.node;
    const start = scope.start as TaskNode;
    for (const item of scope.items) addEdge(scope.dag, start, item);
  }
}

function hasStartFrom(scope: Scope | null): boolean {
  for (let s = scope; s; s = s.parent) if (s.start) return true;
  return false;
}

interface LocalAtom {
  atom: Exclude<JilConditionAtom, { kind: 'value' }>;
  ref: Extract<Ref, { kind: 'local' }>;
  status: Status;
}

class Planner {
  private readonly t: Target;
  private readonly ctx: PlanContext;
  private guard: TaskNode | null = null;

  constructor(t: Target, ctx: PlanContext) {
    this.t = t;
    this.ctx = ctx;
  }

  plan(ast: JilConditionNode): void {
    if (ast.kind === 'or' && !this.t.force && this.simpleOr(ast.operands)) return;
    const conj = ast.kind === 'and' ? ast.operands : [ast];
    const direct: LocalAtom[] = [];
    const complex: JilConditionNode[] = [];
    let sensors = 0;
    for (const op of conj) {
      if (op.kind === 'and' || op.kind === 'or') {
        complex.push(op);
        continue;
      }
      if (op.kind === 'value') {
        this.variableSensor(op);
        sensors++;
        continue;
      }
      const local = this.atom(op, 'top');
      if (local === 'sensor') sensors++;
      else if (local) direct.push(local);
    }
    const statuses = new Set<Status>(direct.map((d) => d.status));
    if (sensors > 0) statuses.add('success');
    const rule = statuses.size === 1 ? ({ success: 'all_success', failure: 'all_failed', done: 'all_done' } as const)[[...statuses][0] as Status] : null;
    const needGuard =
      complex.length > 0 ||
      statuses.size > 1 ||
      direct.some((d) => d.ref.group && d.status !== 'success') ||
      (this.t.force && rule !== null && rule !== 'all_success');

    if (!needGuard) {
      for (const d of direct) this.report(d.atom, 'edge', addEdge(this.t.dag, d.ref.up, this.t.node));
      if (rule) this.t.node.triggerRule = rule;
      return;
    }
    const parts: unknown[] = direct.map((d) => this.expr(d));
    for (const c of complex) parts.push(this.complexExpr(c));
    const guard = this.ensureGuard(parts.length === 1 ? parts[0] : new PyTuple(['and', parts]));
    for (const d of direct) this.report(d.atom, 'guard', addEdge(this.t.dag, d.ref.up, guard));
    addEdge(this.t.dag, guard, this.t.node);
    this.t.node.triggerRule = 'all_success';
    if (complex.length > 0) {
      this.ctx.todo(this.t.node, `the OR in ${JSON.stringify(this.t.job.condition?.raw ?? '')} is checked by ${guard.taskId} once all its upstreams have finished; AutoSys starts the job as soon as one side is true`);
    }
  }

  /** OR of same-status atoms on tasks of this DAG → edges + one_* trigger rule. */
  private simpleOr(operands: JilConditionNode[]): boolean {
    const items: LocalAtom[] = [];
    for (const op of operands) {
      if (op.kind !== 'status' || op.status === 'notrunning' || op.instance !== undefined || op.lookbackMinutes !== undefined) return false;
      const ref = this.resolve(op.job);
      if (ref.kind !== 'local' || ref.group) return false;
      items.push({ atom: op, ref, status: op.status === 'terminated' ? 'failure' : op.status });
    }
    const statuses = new Set(items.map((i) => i.status));
    if (statuses.size !== 1) return false;
    const status = [...statuses][0] as Status;
    if (items.some((i) => i.atom.kind === 'status' && i.atom.status === 'terminated')) this.ctx.note(this.t.node, 'terminated is mapped to Airflow\'s failed state');
    for (const i of items) this.report(i.atom, 'edge', addEdge(this.t.dag, i.ref.up, this.t.node));
    this.t.node.triggerRule = ({ success: 'one_success', failure: 'one_failed', done: 'one_done' } as const)[status];
    return true;
  }

  /** A status/exit-code atom of the top-level AND. Returns the local edge to make, 'sensor', or null (TODO). */
  private atom(a: Exclude<JilConditionAtom, { kind: 'value' }>, where: 'top' | 'nested'): LocalAtom | 'sensor' | null {
    const text = atomText(a);
    if (a.kind === 'status' && a.status === 'notrunning') {
      this.todoEdge(a, `${text}: "not running" has no Airflow equivalent (consider max_active_runs, a one-slot pool or a sensor on the running state)`);
      return null;
    }
    if (a.instance !== undefined) {
      this.todoEdge(a, `${text} is in another AutoSys instance (${a.instance}); wire a sensor to that scheduler`);
      return null;
    }
    const status: Status = a.kind === 'exitcode' ? 'done' : a.status === 'terminated' ? 'failure' : (a.status as Status);
    const ref = this.resolve(a.job);
    if (ref.kind === 'todo') {
      this.todoEdge(a, `${text}: ${ref.reason}`);
      return null;
    }
    if (a.kind === 'exitcode') this.ctx.todo(this.t.node, `${text}: the exit code is not checked; only the ordering after ${a.job} is kept`);
    if (a.lookbackMinutes !== undefined) this.ctx.todo(this.t.node, `${text}: the lookback window is not enforced`);
    if (a.kind === 'status' && a.status === 'terminated') this.ctx.note(this.t.node, 'terminated is mapped to Airflow\'s failed state');
    if (ref.kind === 'external') {
      if (where === 'nested') {
        this.todoEdge(a, `${text} is in DAG ${ref.dagId} and inside an OR, where a sensor would block; check it by hand`);
        return null;
      }
      if (ref.group && status !== 'success') {
        this.todoEdge(a, `${text}: a ${status} test on box ${a.job} of DAG ${ref.dagId} has no sensor equivalent`);
        return null;
      }
      this.externalSensor(a, ref, status);
      return 'sensor';
    }
    return { atom: a, ref, status };
  }

  private resolve(jobName: string): Ref {
    const place = this.ctx.model.places.get(jobName);
    if (!place) return { kind: 'todo', reason: `${jobName} is not defined in this JIL file; point a sensor at the DAG that runs it` };
    if (jobName === this.t.job.name) return { kind: 'todo', reason: 'the job depends on itself' };
    if (place.dag !== this.t.dag) {
      if (place.node.kind === 'task') return { kind: 'external', dagId: place.dag.dagId, taskId: place.node.fullId, groupId: null, group: false };
      const s = place.node;
      return { kind: 'external', dagId: place.dag.dagId, taskId: null, groupId: s.kind === 'group' ? s.prefix.slice(0, -1) : null, group: true };
    }
    const targetScope = this.t.node.role === 'start' ? this.t.scope : this.t.node.scope;
    const upScope = scopeOf(place.node);
    if (place.node.kind !== 'task' && isWithin(targetScope, upScope)) {
      return { kind: 'todo', reason: `${jobName} is a box that contains ${this.t.job.name}` };
    }
    if (this.t.node.role === 'start' && isWithin(upScope, this.t.scope)) {
      return { kind: 'todo', reason: `${jobName} is inside box ${this.t.job.name} itself` };
    }
    if (this.ctx.cyclic(jobName, this.t.job.name)) {
      return { kind: 'todo', reason: `${jobName} and ${this.t.job.name} are on a dependency cycle; an Airflow DAG cannot contain one, so this edge is left out` };
    }
    if (place.node.kind === 'task') return { kind: 'local', up: place.node, group: false, fullIds: [place.node.fullId] };
    return { kind: 'local', up: place.node, group: true, fullIds: jobTasksOf(place.node).map((n) => n.fullId) };
  }

  private expr(d: LocalAtom): PyTuple {
    return new PyTuple([d.ref.group ? 'group' : 'task', d.ref.fullIds, d.status]);
  }

  /** Guard expression of an OR/AND subtree; its local atoms become guard upstreams. */
  private complexExpr(node: JilConditionNode): unknown {
    if (node.kind === 'and' || node.kind === 'or') return new PyTuple([node.kind, node.operands.map((o) => this.complexExpr(o))]);
    if (node.kind === 'value') {
      this.t.dag.helpers.add('variable');
      this.t.dag.imports.add(IMPORTS.Variable);
      return new PyTuple(['variable', node.name, node.op, node.value]);
    }
    const local = this.atom(node, 'nested');
    if (local === null || local === 'sensor') return new PyTuple(['unknown', atomText(node)]);
    const guard = this.ensureGuard(null);
    this.report(local.atom, 'guard', addEdge(this.t.dag, local.ref.up, guard));
    return this.expr(local);
  }

  private ensureGuard(expr: unknown): TaskNode {
    if (!this.guard) {
      const g = addTask(this.t.scope, { role: 'guard', job: null, baseId: `jil_check_${airflowId(this.t.job.name)}`, varPrefix: 'c_', operator: 'ShortCircuitOperator' }, 'extras');
      g.triggerRule = 'all_done';
      this.guard = g;
      this.t.dag.helpers.add('guard');
      this.t.dag.imports.add(IMPORTS.ShortCircuitOperator);
    }
    if (expr !== null) {
      this.guard.args = [
        ['task_id', pyStr(this.guard.taskId)],
        ['python_callable', '_jil_guard'],
        ['op_kwargs', `{"expr": ${pyValue(expr)}}`],
        ['ignore_downstream_trigger_rules', 'False'],
        ['doc_md', pyStr(`Checks the condition of ${this.t.job.name}: ${this.t.job.condition?.raw ?? ''}`)],
      ];
    }
    return this.guard;
  }

  private externalSensor(a: Exclude<JilConditionAtom, { kind: 'value' }>, ref: Extract<Ref, { kind: 'external' }>, status: Status): void {
    const s = addTask(this.t.scope, { role: 'sensor', job: null, baseId: `wait_for_${airflowId(a.job)}`, varPrefix: 'w_', operator: 'ExternalTaskSensor' }, 'extras');
    s.args = [
      ['task_id', pyStr(s.taskId)],
      ['external_dag_id', pyStr(ref.dagId)],
      ref.groupId !== null ? ['external_task_group_id', pyStr(ref.groupId)] : ['external_task_id', ref.taskId === null ? 'None' : pyStr(ref.taskId)],
      ['allowed_states', pyValue(SENSOR_STATES[status])],
      ['mode', pyStr(this.ctx.sensorMode)],
    ];
    s.waitsFor = `DAG ${ref.dagId}`;
    this.ctx.note(s, `waits for the run of ${ref.dagId} with the same logical date; set execution_delta or execution_date_fn if the schedules differ`);
    this.t.dag.imports.add(IMPORTS.ExternalTaskSensor);
    this.report(a, 'sensor', addEdge(this.t.dag, s, this.t.node));
  }

  private variableSensor(a: Extract<JilConditionAtom, { kind: 'value' }>): void {
    const s = addTask(this.t.scope, { role: 'sensor', job: null, baseId: `wait_for_var_${airflowId(a.name)}`, varPrefix: 'w_', operator: 'PythonSensor' }, 'extras');
    s.args = [
      ['task_id', pyStr(s.taskId)],
      ['python_callable', '_jil_variable_matches'],
      ['op_kwargs', pyValue({ name: a.name, op: a.op, value: a.value })],
      ['mode', pyStr(this.ctx.sensorMode)],
    ];
    s.waitsFor = `Airflow Variable ${a.name}`;
    this.ctx.note(s, `AutoSys global variable ${a.name} is read from the Airflow Variable of the same name`);
    this.ctx.warn(this.t.dag.dagId, this.t.job.name, `global variable test ${atomText(a)} became a PythonSensor on Airflow Variable ${a.name}; something must set it`);
    if (a.instance !== undefined) this.ctx.todo(this.t.node, `${atomText(a)} reads a variable of instance ${a.instance}`);
    this.t.dag.helpers.add('variable');
    this.t.dag.imports.add(IMPORTS.PythonSensor);
    this.t.dag.imports.add(IMPORTS.Variable);
    addEdge(this.t.dag, s, this.t.node);
  }

  private todoEdge(a: Exclude<JilConditionAtom, { kind: 'value' }>, reason: string): void {
    const line = this.ctx.todo(this.t.node, `${this.t.job.name} waits for ${reason}`);
    this.report(a, 'todo', line);
  }

  private report(a: Exclude<JilConditionAtom, { kind: 'value' }>, via: AirflowEdge['via'], code: string): void {
    this.ctx.edge({
      from: fromName(a),
      to: this.t.job.name,
      status: a.kind === 'status' ? a.status : 'exitcode',
      via,
      dagId: this.t.dag.dagId,
      code,
    });
  }
}

/** The comment line a TODO is written as (what `PlanContext.todo` returns). */
export function todoLine(message: string): string {
  return `# ${pyCommentText(`TODO(jil): ${message}`)}`;
}
