import { buildBoxIndex, type BoxIndex } from '../box-index.js';
import type { JilJob, JilParseResult } from '../parse-schema.js';
import { standaloneComponents, type StandaloneComponent } from './components.js';
import { airflowGroupId, airflowId, fitGroupId, fitTaskId, UniqueNames } from './ids.js';
import { pyCommentText, pyIdentifier } from './python.js';

/**
 * The shape of the generated code before it is written: DAGs, their TaskGroup scopes and tasks, and
 * where every JIL job went. Top-level boxes become DAGs, nested boxes TaskGroups, other jobs tasks;
 * top-level jobs outside boxes become one DAG per group of jobs connected by conditions (`component`,
 * see components.ts), one DAG each (`per-job`) or share `standalone_jobs` (`shared`).
 */

export type TaskRole = 'job' | 'start' | 'sensor' | 'guard';

export interface TaskNode {
  kind: 'task';
  role: TaskRole;
  /** The JIL job (null for generated helper tasks). */
  job: JilJob | null;
  /** task_id inside its group. */
  taskId: string;
  /** Full Airflow id (group ids joined with `.`). */
  fullId: string;
  varName: string;
  /** Operator class name. */
  operator: string;
  /** Keyword arguments as [name, python code]. */
  args: [string, string][];
  /** Comment lines written above the task (`TODO(jil): …`, `NOTE(jil): …`). */
  comments: string[];
  triggerRule: string | null;
  scope: Scope;
  /** What a generated sensor waits for (`DAG X`, `Airflow Variable Y`); unset for other tasks. */
  waitsFor?: string;
}

export interface Scope {
  kind: 'dag' | 'group';
  /** The box (null for the shared standalone DAG). */
  job: JilJob | null;
  groupId: string | null;
  /** Prefix of the full ids of this scope's tasks (`''` at DAG level, `a.b.` inside groups). */
  prefix: string;
  /** Python variable of the TaskGroup (null at DAG level). */
  varName: string | null;
  /** task_ids and group_ids already used in this scope. */
  names: UniqueNames;
  /** Job tasks and nested groups, in file order. */
  items: (TaskNode | Scope)[];
  /** Generated sensors and guards. */
  extras: TaskNode[];
  /** The box's start task when its condition needs one. */
  start: TaskNode | null;
  comments: string[];
  parent: Scope | null;
  dag: DagModel;
}

export interface DagModel {
  dagId: string;
  /** Path of the file, e.g. `dags/NIGHTLY.py`. */
  file: string;
  /** What the DAG was generated from, for its docstring. */
  origin: string;
  /** The job whose attributes give the schedule and defaults (the box, or the standalone job). */
  scheduleJob: JilJob | null;
  root: Scope;
  /** Python variable names used in the file. */
  vars: UniqueNames;
  /**
   * Dependency lines (`a >> b`), unique, each with the depth of the innermost scope holding both ends.
   * Airflow resolves `group >> x` to the group's leaves at the moment it runs, so lines are written
   * deepest scope first: every edge inside a group is in place before the group is used as an endpoint.
   */
  edges: { line: string; depth: number }[];
  edgeSet: Set<string>;
  /** The same dependencies as endpoints (`from >> to`), once each. */
  links: { from: Endpoint; to: Endpoint }[];
  helpers: Set<'guard' | 'variable'>;
  /** Import lines. */
  imports: Set<string>;
}

export interface Place {
  dag: DagModel;
  /** The task, the job's TaskGroup scope, or the DAG's root scope for the DAG's own box. */
  node: TaskNode | Scope;
}

export interface AirflowModel {
  dags: DagModel[];
  places: Map<string, Place>;
  index: BoxIndex;
}

/**
 * Deepest TaskGroup nesting generated; deeper boxes are flattened into the group at this depth. Keeps
 * the `with` blocks under Python's limit of 20 statically nested blocks and full ids under 250 chars.
 */
export const MAX_GROUP_DEPTH = 12;

export interface ModelOptions {
  standalone: 'component' | 'per-job' | 'shared';
  dagsFolder: string;
}

function newScope(dag: DagModel | null, init: Omit<Scope, 'dag' | 'names' | 'items' | 'extras' | 'start' | 'comments'>): Scope {
  return { ...init, dag: dag as DagModel, names: new UniqueNames(), items: [], extras: [], start: null, comments: [] };
}

/** Adds a task to `scope` with a unique task_id and variable. */
export function addTask(
  scope: Scope,
  init: { role: TaskRole; job: JilJob | null; baseId: string; varPrefix: string; operator: string },
  where: 'items' | 'extras' | 'start',
): TaskNode {
  const taskId = scope.names.take(fitTaskId(init.baseId, scope.prefix));
  const node: TaskNode = {
    kind: 'task',
    role: init.role,
    job: init.job,
    taskId,
    fullId: `${scope.prefix}${taskId}`,
    varName: scope.dag.vars.take(pyIdentifier(init.varPrefix, taskId)),
    operator: init.operator,
    args: [],
    comments: [],
    triggerRule: null,
    scope,
  };
  if (where === 'items') scope.items.push(node);
  else if (where === 'extras') scope.extras.push(node);
  else scope.start = node;
  return node;
}

/** Builds DAGs, scopes and tasks for every job (operators and arguments are filled in later). */
export function buildModel(parsed: Pick<JilParseResult, 'jobs'>, opts: ModelOptions): AirflowModel {
  const index = buildBoxIndex(parsed.jobs);
  const dags: DagModel[] = [];
  const places = new Map<string, Place>();
  const dagIds = new UniqueNames(true);

  const newDag = (name: string, origin: string, scheduleJob: JilJob | null, rootJob: JilJob | null): DagModel => {
    const dagId = dagIds.take(airflowId(name));
    const dag: DagModel = {
      dagId,
      file: `${opts.dagsFolder}/${dagId.replace(/[^A-Za-z0-9_-]/g, '_')}.py`,
      origin,
      scheduleJob,
      root: null as unknown as Scope,
      vars: new UniqueNames(),
      edges: [],
      edgeSet: new Set(),
      links: [],
      helpers: new Set(),
      imports: new Set(),
    };
    dag.root = newScope(dag, { kind: 'dag', job: rootJob, groupId: null, prefix: '', varName: null, parent: null });
    dags.push(dag);
    return dag;
  };

  const fill = (scope: Scope, box: JilJob, depth: number): void => {
    for (const child of index.childrenOf(box.name)) {
      if (child.type === 'BOX' && depth >= MAX_GROUP_DEPTH) {
        // Too deep for TaskGroups (ids and Python nesting): the box's jobs join this group.
        if (!scope.comments.some((c) => c.includes('flattened'))) {
          scope.comments.push(`# ${pyCommentText(`TODO(jil): boxes nested more than ${MAX_GROUP_DEPTH} levels deep are flattened into this TaskGroup (first: ${child.name})`)}`);
        }
        places.set(child.name, { dag: scope.dag, node: scope });
        fill(scope, child, depth);
        continue;
      }
      if (child.type === 'BOX') {
        const groupId = scope.names.take(fitGroupId(airflowGroupId(child.name), scope.prefix));
        const group = newScope(scope.dag, {
          kind: 'group',
          job: child,
          groupId,
          prefix: `${scope.prefix}${groupId}.`,
          varName: scope.dag.vars.take(pyIdentifier('g_', groupId)),
          parent: scope,
        });
        scope.items.push(group);
        places.set(child.name, { dag: scope.dag, node: group });
        fill(group, child, depth + 1);
      } else {
        const task = addTask(scope, { role: 'job', job: child, baseId: airflowId(child.name), varPrefix: 't_', operator: 'EmptyOperator' }, 'items');
        places.set(child.name, { dag: scope.dag, node: task });
      }
    }
  };

  // `component`: the DAG of a group of connected standalone jobs is made when its first member comes up
  const componentOf = new Map<string, StandaloneComponent>();
  if (opts.standalone === 'component') {
    for (const c of standaloneComponents(index.topLevel.filter((j) => j.type !== 'BOX'))) for (const j of c.jobs) componentOf.set(j.name, c);
  }
  const componentDags = new Map<StandaloneComponent, DagModel>();
  let shared: DagModel | null = null;
  for (const top of index.topLevel) {
    if (top.type === 'BOX') {
      const dag = newDag(top.name, `box ${top.name} (line ${top.line})`, top, top);
      places.set(top.name, { dag, node: dag.root });
      fill(dag.root, top, 0);
      continue;
    }
    let dag: DagModel;
    const component = componentOf.get(top.name);
    if (component) {
      const { root, jobs } = component;
      dag = componentDags.get(component) ?? newDag(root.name, jobs.length === 1 ? `standalone job ${root.name} (line ${root.line})` : componentOrigin(jobs, root), root, null);
      componentDags.set(component, dag);
    } else if (opts.standalone === 'shared') {
      shared ??= newDag('standalone_jobs', 'the top-level jobs outside any box', null, null);
      dag = shared;
    } else dag = newDag(top.name, `standalone job ${top.name} (line ${top.line})`, top, null);
    const task = addTask(dag.root, { role: 'job', job: top, baseId: airflowId(top.name), varPrefix: 't_', operator: 'EmptyOperator' }, 'items');
    places.set(top.name, { dag, node: task });
  }
  return { dags, places, index };
}

function componentOrigin(jobs: JilJob[], root: JilJob): string {
  const names = jobs.slice(0, 6).map((j) => `${j.name} (line ${j.line})`);
  const more = jobs.length > names.length ? ` and ${jobs.length - names.length} more` : '';
  return `standalone jobs connected by their conditions: ${names.join(', ')}${more}; schedule from ${root.name}`;
}

/** A task or a TaskGroup as one end of `>>`. */
export type Endpoint = TaskNode | Scope;

function depthOf(scope: Scope): number {
  let d = 0;
  for (let s = scope.parent; s; s = s.parent) d++;
  return d;
}

/** Adds `from >> to` to the DAG once; returns the line. */
export function addEdge(dag: DagModel, from: Endpoint, to: Endpoint): string {
  const line = `${from.varName ?? ''} >> ${to.varName ?? ''}`;
  if (!dag.edgeSet.has(line)) {
    dag.edgeSet.add(line);
    dag.links.push({ from, to });
    const a = from.kind === 'task' ? from.scope : from;
    const b = to.kind === 'task' ? to.scope : to;
    let lca: Scope | null = a;
    while (lca && !isWithin(b, lca)) lca = lca.parent;
    dag.edges.push({ line, depth: lca ? depthOf(lca) : 0 });
  }
  return line;
}

/** The dependency lines in the order they must be written (see `DagModel.edges`). */
export function orderedEdges(dag: DagModel): string[] {
  return dag.edges
    .map((e, k) => ({ ...e, k }))
    .sort((x, y) => y.depth - x.depth || x.k - y.k)
    .map((e) => e.line);
}

const jobTasksCache = new WeakMap<Scope, TaskNode[]>();

/** Every job task inside a scope, recursively (what a box's status is made of). Call after the model is built. */
export function jobTasksOf(scope: Scope): TaskNode[] {
  const cached = jobTasksCache.get(scope);
  if (cached) return cached;
  const out: TaskNode[] = [];
  const walk = (s: Scope): void => {
    for (const item of s.items) {
      if (item.kind === 'task') out.push(item);
      else walk(item);
    }
  };
  walk(scope);
  jobTasksCache.set(scope, out);
  return out;
}

/** True when `inner` is `outer` or nested inside it. */
export function isWithin(inner: Scope, outer: Scope): boolean {
  for (let s: Scope | null = inner; s; s = s.parent) if (s === outer) return true;
  return false;
}
