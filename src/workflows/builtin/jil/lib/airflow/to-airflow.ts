import type { JilJob, JilParseResult } from '../parse-schema.js';
import { inDagCycleCheck } from './cycles.js';
import { createStartTasks, planJob, todoLine, wireStartTasks, type PlanContext } from './dependencies.js';
import { buildModel, type DagModel, type Scope, type TaskNode } from './model.js';
import { neverStartsMessage } from './never-starts.js';
import { defineJobTask, type OperatorContext } from './operators.js';
import { pyCommentText } from './python.js';
import { renderDag } from './render.js';
import { scheduleFor, type ScheduleResult } from './schedule.js';
import type { AirflowEdge, AirflowNote, AirflowOptions, AirflowResult, AirflowTaskRef } from './schema.js';

/**
 * JIL → Apache Airflow 2 DAG files.
 *
 * Each top-level box is one DAG file (dag_id = the sanitised box name) whose nested boxes are
 * TaskGroups. Top-level jobs outside boxes that are connected by conditions share one DAG per connected
 * component, named after and scheduled by its root job (`standalone: 'component'`, the default, see
 * components.ts); `per-job` gives every such job its own DAG (joined by ExternalTaskSensors) and `shared`
 * puts them all in one `standalone_jobs` DAG. A DAG with schedule=None whose start tasks are all sensors
 * never starts by itself: it gets a TODO saying so (never-starts.ts). See operators.ts for the operators,
 * dependencies.ts for conditions, schedule.ts for calendars. Whatever cannot be translated faithfully is
 * an explicit `# TODO(jil): …` comment in the file and an entry in `report.todos` (and `report.warnings`).
 * `report.edges` says, for every dependency of every job, how it was carried (edge, guard, sensor, TODO).
 */
export function toAirflow(
  parsed: Pick<JilParseResult, 'jobs'> & Partial<Pick<JilParseResult, 'overrides' | 'objects'>>,
  opts: AirflowOptions = {},
): AirflowResult {
  const sensorMode = opts.sensorMode ?? 'reschedule';
  const defaultOwner = opts.defaultOwner ?? 'airflow';
  const model = buildModel(parsed, { standalone: opts.standalone ?? 'component', dagsFolder: opts.dagsFolder ?? 'dags' });
  const warnings: AirflowNote[] = [];
  const todos: AirflowNote[] = [];
  const edges: AirflowEdge[] = [];

  const jobOf = (node: TaskNode): string | null => node.job?.name ?? node.scope.job?.name ?? null;
  const todo = (node: TaskNode, message: string): string => {
    const line = todoLine(message);
    node.comments.push(line);
    todos.push({ dagId: node.scope.dag.dagId, job: jobOf(node), message });
    warnings.push({ dagId: node.scope.dag.dagId, job: jobOf(node), message });
    return line;
  };
  const scopeTodo = (scope: Scope, message: string): void => {
    scope.comments.push(todoLine(message));
    todos.push({ dagId: scope.dag.dagId, job: scope.job?.name ?? null, message });
    warnings.push({ dagId: scope.dag.dagId, job: scope.job?.name ?? null, message });
  };
  const note = (node: TaskNode, message: string): void => {
    const line = `# ${pyCommentText(`NOTE(jil): ${message}`)}`;
    if (!node.comments.includes(line)) node.comments.push(line);
  };

  // Operators of the job tasks; schedules that a DAG cannot carry.
  const owners = new Map<string, string>();
  for (const dag of model.dags) {
    const o = dag.scheduleJob?.attributes.owner;
    owners.set(dag.dagId, typeof o === 'string' && o !== '' ? o : defaultOwner);
  }
  for (const [name, place] of model.places) {
    const job = model.index.byName.get(name) as JilJob;
    const ownSchedule = place.dag.scheduleJob === job;
    const dc = job.attributes.date_conditions;
    const timed = dc !== undefined && dc !== false && dc !== 0 && scheduleFor(job.attributes).cron !== null;
    if (place.node.kind === 'task') {
      const ctx: OperatorContext = { sensorMode, dagOwner: owners.get(place.dag.dagId) ?? defaultOwner, imports: place.dag.imports, todo, note };
      defineJobTask(place.node, ctx);
      if (timed && !ownSchedule) {
        todo(place.node, `${name} has its own start time (${describeSchedule(job)}); inside a box or a DAG shared with other jobs it is not scheduled separately (a TimeSensor or DateTimeSensor can wait for it)`);
      }
    } else if (place.node.job === job) {
      if (place.node.kind === 'group' && timed) {
        scopeTodo(place.node, `box ${name} has its own start time (${describeSchedule(job)}); a TaskGroup cannot be scheduled separately`);
      }
      for (const attr of ['box_success', 'box_failure'] as const) {
        const v = job.attributes[attr];
        if (v !== undefined) scopeTodo(place.node, `${attr} ${JSON.stringify(String(v))} of box ${name} redefines when the box succeeds/fails; not translated`);
      }
    }
  }

  const ctx: PlanContext = {
    model,
    cyclic: inDagCycleCheck(model),
    sensorMode,
    todo,
    note,
    edge: (e) => edges.push(e),
    warn: (dagId, job, message) => warnings.push({ dagId, job, message }),
  };
  createStartTasks(model);
  for (const job of parsed.jobs) {
    if (job.condition || job.attributes.condition !== undefined) planJob(job, ctx);
  }
  wireStartTasks(model);

  const schedules = new Map<DagModel, ScheduleResult>(
    model.dags.map((dag) => [dag, dag.scheduleJob ? scheduleFor(dag.scheduleJob.attributes) : { cron: null, timezone: null, todos: [] }]),
  );
  for (const dag of model.dags) {
    const never = neverStartsMessage(dag, schedules.get(dag)?.cron != null);
    if (never !== null) scopeTodo(dag.root, never);
  }

  for (const o of parsed.overrides ?? []) {
    warnings.push({ dagId: model.places.get(o.job)?.dag.dagId ?? null, job: o.job, message: `override_job at line ${o.line} applies to one run only and is not translated` });
  }
  const machines = (parsed.objects ?? []).filter((o) => o.kind === 'machine' && o.subcommand.startsWith('insert'));
  if (machines.length > 0) {
    warnings.push({ dagId: null, job: null, message: `${machines.length} machine definition(s) not translated; create an Airflow SSH connection per machine (ssh_conn_id = machine name)` });
  }

  const files = model.dags.map((dag) => {
    const schedule = schedules.get(dag) as ScheduleResult;
    for (const t of schedule.todos) scopeTodo(dag.root, `schedule: ${t}`);
    const description = dag.scheduleJob?.attributes.description;
    return {
      path: dag.file,
      content: renderDag(dag, {
        schedule,
        owner: owners.get(dag.dagId) ?? defaultOwner,
        startDate: opts.startDate ?? '2024-01-01',
        tags: opts.tags ?? ['autosys'],
        docMd: typeof description === 'string' && description !== '' ? description : null,
      }),
    };
  });

  const tasks: AirflowTaskRef[] = [];
  for (const [name, place] of model.places) {
    const n = place.node;
    const base = { job: name, dagId: place.dag.dagId, file: place.dag.file };
    if (n.kind === 'task') tasks.push({ ...base, taskId: n.fullId, kind: 'task', variable: n.varName, operator: n.operator, triggerRule: n.triggerRule });
    else if (n.kind === 'group') tasks.push({ ...base, taskId: n.prefix.slice(0, -1), kind: 'group', variable: n.varName, operator: 'TaskGroup', triggerRule: n.start?.triggerRule ?? null });
    else tasks.push({ ...base, taskId: null, kind: 'dag', variable: null, operator: 'DAG', triggerRule: n.start?.triggerRule ?? null });
  }
  return { files, report: { warnings, todos, edges, tasks } };
}

function describeSchedule(job: JilJob): string {
  const a = job.attributes;
  const parts = [a.start_times, a.start_mins, a.days_of_week].filter((v) => v !== undefined).map((v) => (Array.isArray(v) ? v.join(',') : String(v)));
  return parts.join(' ');
}
