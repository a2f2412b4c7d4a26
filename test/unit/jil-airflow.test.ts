import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jinjaSafe } from '../../src/workflows/builtin/jil/lib/airflow/operators.js';
import { pyStr } from '../../src/workflows/builtin/jil/lib/airflow/python.js';
import { scheduleFor } from '../../src/workflows/builtin/jil/lib/airflow/schedule.js';
import { AirflowResult, type AirflowOptions } from '../../src/workflows/builtin/jil/lib/airflow/schema.js';
import { toAirflow } from '../../src/workflows/builtin/jil/lib/airflow/to-airflow.js';
import type { JilParseResult } from '../../src/workflows/builtin/jil/lib/parse-schema.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';
import { AIRFLOW_STUB, HAVE_PYTHON, describePy, runPython, runStubDags, type StubDag, type StubTask } from '../support/airflow-stub.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/jil');
const JIL_FILES = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith('.jil')).map((f) => join(FIXTURES, f)),
  ...readdirSync(join(FIXTURES, 'public')).filter((f) => f.endsWith('.jil')).map((f) => join(FIXTURES, 'public', f)),
  ...readdirSync(join(ROOT, 'examples/jil')).filter((f) => f.endsWith('.jil')).map((f) => join(ROOT, 'examples/jil', f)),
];


interface Generated {
  name: string;
  mode: NonNullable<AirflowOptions['standalone']>;
  parsed: JilParseResult;
  result: AirflowResult;
  dir: string;
}

let tmp = '';
const generated: Generated[] = [];
const stubDags = new Map<string, StubDag>(); // by absolute file path
let stubErrors: unknown[] = [];

function gen(name: string, mode: Generated['mode']): Generated {
  const g = generated.find((x) => x.name === name && x.mode === mode);
  if (!g) throw new Error(`not generated: ${name} ${mode}`);
  return g;
}
function fileOf(g: Generated, dagId: string): { path: string; content: string } {
  const f = g.result.files.find((x) => x.path === `dags/${dagId.replace(/[^A-Za-z0-9_-]/g, '_')}.py`);
  if (!f) throw new Error(`no file for ${dagId}`);
  return f;
}
function stubDag(g: Generated, dagId: string): StubDag {
  const d = stubDags.get(join(g.dir, fileOf(g, dagId).path));
  if (!d) throw new Error(`stub did not load ${dagId}`);
  return d;
}
function taskRef(g: Generated, job: string) {
  const t = g.result.report.tasks.find((x) => x.job === job);
  if (!t) throw new Error(`no task ref for ${job}`);
  return t;
}
/** The stub task that carries a job's condition: the job's task, or its box's start task. */
function targetTask(g: Generated, job: string): { dag: StubDag; id: string; task: StubTask } {
  const ref = taskRef(g, job);
  const dag = stubDag(g, ref.dagId);
  let id = ref.taskId ?? '';
  if (ref.kind !== 'task') {
    const prefix = ref.kind === 'group' ? `${ref.taskId}.` : '';
    const start = Object.keys(dag.tasks).find((t) => t.startsWith(`${prefix}jil_box_start`) && !t.slice(prefix.length).includes('.'));
    if (!start) throw new Error(`no start task for box ${job}`);
    id = start;
  }
  const task = dag.tasks[id];
  if (!task) throw new Error(`no stub task ${id} in ${dag.dag_id}`);
  return { dag, id, task };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'jil-airflow-'));
  for (const path of JIL_FILES) {
    const parsed = parseJil(readFileSync(path, 'utf8'));
    for (const mode of ['component', 'per-job', 'shared'] as const) {
      const name = path.slice(ROOT.length);
      const dir = join(tmp, `${name.replace(/[^A-Za-z0-9]/g, '_')}-${mode}`);
      const result = toAirflow(parsed, { standalone: mode });
      for (const f of result.files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      generated.push({ name, mode, parsed, result, dir });
    }
  }
  if (HAVE_PYTHON) {
    const all = generated.flatMap((g) => g.result.files.map((f) => join(g.dir, f.path)));
    const summary = runStubDags(all);
    expect(summary.status, summary.stderr).toBe(0);
    for (const d of summary.dags) stubDags.set(d.file, d);
    stubErrors = summary.errors;
  }
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('toAirflow — shape of the result', () => {
  it('validates against the zod schema for every fixture and mode', () => {
    expect(generated.length).toBe(JIL_FILES.length * 3);
    for (const g of generated) expect(AirflowResult.safeParse(g.result).success, g.name).toBe(true);
  });

  it('one DAG per top-level box (TaskGroups for nested boxes), one per standalone job or a shared one', () => {
    const perJob = gen('test/fixtures/jil/graph-edge-cases.jil', 'per-job');
    expect(perJob.result.files.map((f) => f.path)).toEqual(
      ['G_TOP_A', 'G_TOP_B', 'G_CYC_1', 'G_CYC_2', 'G_CYC_3', 'G_SELF', 'G_CHAIN_1', 'G_CHAIN_2', 'G_CHAIN_3', 'G_CHAIN_4', 'G_CHAIN_5', 'G_CHAIN_6', 'G_MUTEX_1', 'G_MUTEX_2'].map((d) => `dags/${d}.py`),
    );
    expect(taskRef(perJob, 'G_MID_A')).toMatchObject({ kind: 'group', taskId: 'G_MID_A', operator: 'TaskGroup', dagId: 'G_TOP_A' });
    expect(taskRef(perJob, 'G_LEAF_A1')).toMatchObject({ kind: 'task', taskId: 'G_MID_A.G_LEAF_A1', dagId: 'G_TOP_A' });
    expect(taskRef(perJob, 'G_TOP_A')).toMatchObject({ kind: 'dag', taskId: null });
    const shared = gen('test/fixtures/jil/graph-edge-cases.jil', 'shared');
    expect(shared.result.files.map((f) => f.path)).toEqual(['dags/G_TOP_A.py', 'dags/G_TOP_B.py', 'dags/standalone_jobs.py']);
  });

  it('sanitises task ids and keeps them unique; dag ids too', () => {
    const r = toAirflow(parseJil('insert_job: B#1 job_type: BOX\ninsert_job: X#1 box_name: B#1 command: a\ninsert_job: X_1 box_name: B#1 command: b\ninsert_job: x.y-z command: c'));
    expect(r.report.tasks.map((t) => [t.job, t.dagId, t.taskId])).toEqual([
      ['B#1', 'B_1', null],
      ['X#1', 'B_1', 'X_1'],
      ['X_1', 'B_1', 'X_1_2'],
      ['x.y-z', 'x.y-z', 'x.y-z'],
    ]);
    expect(r.files.map((f) => f.path)).toEqual(['dags/B_1.py', 'dags/x_y-z.py']);
  });
});

describePy('toAirflow — generated Python', () => {
  it('every generated file of every fixture compiles with python3 -m py_compile', () => {
    const all = generated.flatMap((g) => g.result.files.map((f) => join(g.dir, f.path)));
    expect(all.length).toBeGreaterThan(40);
    const r = runPython(['-m', 'py_compile', ...all]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('every generated file runs against the strict Airflow stand-in (imports, arguments, ids, no cycles)', () => {
    expect(stubErrors).toEqual([]);
    const files = generated.reduce((n, g) => n + g.result.files.length, 0);
    expect(stubDags.size).toBe(files);
  });

  it('a box start task only precedes tasks of its own box (group edges are written after the edges inside)', () => {
    let starts = 0;
    for (const dag of stubDags.values()) {
      for (const [id, t] of Object.entries(dag.tasks)) {
        for (const up of t.upstream) {
          const m = /^(.*?)jil_box_start(_\d+)?$/.exec(up);
          if (!m) continue;
          starts++;
          expect(id.startsWith(m[1] ?? ''), `${dag.dag_id}: ${up} >> ${id}`).toBe(true);
        }
      }
    }
    expect(starts).toBeGreaterThan(10);
  });

  it('every JIL dependency of every fixture is an edge, a guard, a sensor or an explicit TODO in the code', () => {
    let checked = 0;
    for (const g of generated) {
      const edges = [...g.result.report.edges];
      for (const job of g.parsed.jobs) {
        for (const d of job.dependsOn) {
          const from = d.instance === undefined ? d.job : `${d.job}^${d.instance}`;
          const k = edges.findIndex((e) => e.from === from && e.to === job.name && e.status === d.status);
          expect(k, `${g.name} ${g.mode}: ${from} -> ${job.name}`).toBeGreaterThanOrEqual(0);
          const e = edges.splice(k, 1)[0];
          if (!e) continue;
          const content = fileOf(g, e.dagId).content;
          const lines = content.split('\n').map((l) => l.trim());
          expect(lines, `${g.name}: ${e.code}`).toContain(e.code);
          const target = targetTask(g, job.name);
          if (e.via === 'todo') {
            expect(e.code.startsWith('# TODO(jil):')).toBe(true);
            expect(e.code).toContain(job.name);
            expect(e.code).toContain(d.job);
          } else if (e.via === 'edge') {
            const up = taskRef(g, d.job);
            const upIds = up.kind === 'task' ? [up.taskId] : Object.keys(target.dag.tasks).filter((t) => t.startsWith(`${up.taskId}.`));
            expect(target.task.upstream.some((u) => upIds.includes(u)), `${g.name}: ${e.code}`).toBe(true);
          } else if (e.via === 'guard') {
            const guards = target.task.upstream.filter((u) => target.dag.tasks[u]?.operator === 'ShortCircuitOperator');
            expect(guards.length, `${g.name}: ${e.code}`).toBe(1);
            expect(target.task.trigger_rule).toBe('all_success');
            const guard = target.dag.tasks[guards[0] as string] as StubTask;
            expect(guard.trigger_rule).toBe('all_done');
            const up = taskRef(g, d.job);
            expect(guard.upstream.some((u) => u === up.taskId || u.startsWith(`${up.taskId}.`))).toBe(true);
          } else {
            const up = taskRef(g, d.job);
            const sensors = target.task.upstream.map((u) => target.dag.tasks[u]).filter((t) => t?.operator === 'ExternalTaskSensor');
            expect(
              sensors.some((s) => s?.kwargs.external_dag_id === up.dagId && (s.kwargs.external_task_id ?? s.kwargs.external_task_group_id ?? null) === up.taskId),
              `${g.name}: ${e.code}`,
            ).toBe(true);
          }
          checked++;
        }
      }
      expect(edges, `${g.name}: report edges without a JIL dependency`).toEqual([]);
    }
    expect(checked).toBeGreaterThan(150);
  });
});

describePy('toAirflow — conditions become the right construct', () => {
  const shared = () => gen('test/fixtures/jil/conditions.jil', 'shared');
  const task = (job: string) => targetTask(shared(), job);

  it('AND of success → edges + all_success; of done → all_done; of failure/terminated → all_failed', () => {
    expect(task('C_SUCCESS_ALL').task).toMatchObject({ trigger_rule: 'all_success', upstream: ['C_A', 'C_B'] });
    expect(task('C_DONE_ALL').task).toMatchObject({ trigger_rule: 'all_done', upstream: ['C_A', 'C_B'] });
    expect(task('C_FAIL_ALL').task).toMatchObject({ trigger_rule: 'all_failed', upstream: ['C_A', 'C_B'] });
  });

  it('OR of success atoms → one_success', () => {
    expect(task('C_OR_SUCCESS').task).toMatchObject({ trigger_rule: 'one_success', upstream: ['C_A', 'C_B', 'C_C'] });
  });

  it('a mix of statuses → a guard that checks the upstream states, and the guard logic is right', () => {
    const t = task('C_MIXED');
    expect(t.task).toMatchObject({ trigger_rule: 'all_success', upstream: ['jil_check_C_MIXED'] });
    const guard = t.dag.tasks.jil_check_C_MIXED as StubTask;
    expect(guard).toMatchObject({ operator: 'ShortCircuitOperator', trigger_rule: 'all_done', upstream: ['C_A', 'C_B'] });
    expect(guard.kwargs.ignore_downstream_trigger_rules).toBe(false);
    const file = join(shared().dir, fileOf(shared(), 'standalone_jobs').path);
    const script = `
import json, runpy, sys
sys.dont_write_bytecode = True
sys.path.insert(0, ${JSON.stringify(AIRFLOW_STUB)})
ns = runpy.run_path(${JSON.stringify(file)})
from airflow import _stub
dag = _stub.DAGS[-1]
class TI:
    def __init__(self, state): self.state = state
class Run:
    def __init__(self, states): self.states = states
    def get_task_instance(self, task_id): return TI(self.states[task_id]) if task_id in self.states else None
out = []
for job, states in json.loads(sys.stdin.read()):
    expr = dag.tasks["jil_check_" + job].kwargs["op_kwargs"]["expr"]
    out.append(ns["_jil_guard"](expr, dag_run=Run(states)))
print(json.dumps(out))
`;
    const cases = [
      ['C_MIXED', { C_A: 'success', C_B: 'failed' }],
      ['C_MIXED', { C_A: 'success', C_B: 'success' }],
      ['C_MIXED', { C_A: 'failed', C_B: 'failed' }],
      ['C_NESTED', { C_A: 'success', C_B: 'success', C_C: 'failed' }],
      ['C_NESTED', { C_A: 'failed', C_B: 'success', C_C: 'success' }],
      ['C_PRECEDENCE', { C_A: 'failed', C_B: 'success', C_C: 'success' }],
      ['C_PRECEDENCE', { C_A: 'failed', C_B: 'success', C_C: 'failed' }],
      ['C_SPACES', { C_A: 'success', C_B: 'success', C_C: 'failed' }],
      ['C_SPACES', { C_A: 'success', C_B: 'success', C_C: 'success' }],
    ];
    const r = runPython(['-c', script], JSON.stringify(cases));
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([true, false, false, true, false, true, false, true, false]);
  });

  it('a nested OR → guard + TODO saying it waits for all upstreams', () => {
    const t = task('C_NESTED');
    expect(t.task.upstream).toEqual(['jil_check_C_NESTED']);
    expect(t.dag.tasks.jil_check_C_NESTED?.upstream).toEqual(['C_A', 'C_B', 'C_C']);
    const todos = shared().result.report.todos.filter((x) => x.job === 'C_NESTED');
    expect(todos).toEqual([expect.objectContaining({ message: expect.stringContaining('OR') })]);
    expect(fileOf(shared(), 'standalone_jobs').content).toMatch(/# TODO\(jil\): the OR in .*C_NESTED/);
  });

  it('notrunning, exit codes, lookbacks and other instances → TODO comments and report entries', () => {
    const content = fileOf(shared(), 'standalone_jobs').content;
    expect(content).toContain('# TODO(jil): C_NOTRUNNING waits for notrunning(C_B)');
    expect(task('C_NOTRUNNING').task.upstream).toEqual(['C_A']);
    expect(content).toContain('# TODO(jil): exitcode(C_B) >= 4: the exit code is not checked');
    expect(task('C_EXITCODE').task).toMatchObject({ trigger_rule: 'all_done', upstream: ['C_A', 'C_B', 'C_C'] });
    expect(content).toContain('# TODO(jil): success(C_A, 150 min lookback): the lookback window is not enforced');
    expect(content).toContain('# TODO(jil): C_XINST waits for success(REMOTE_JOB^PRD)');
    const todoJobs = new Set(shared().result.report.todos.map((x) => x.job));
    for (const j of ['C_NOTRUNNING', 'C_EXITCODE', 'C_LOOKBACK', 'C_XINST', 'C_BAD', 'C_BAD2']) expect(todoJobs.has(j), j).toBe(true);
    for (const todo of shared().result.report.todos) expect(shared().result.report.warnings).toContainEqual(todo);
  });

  it('a global variable test → a PythonSensor on the Airflow Variable, with a warning', () => {
    const t = task('C_VALUE');
    expect(t.task.upstream).toEqual(['C_A', 'wait_for_var_LOAD_MODE', 'wait_for_var_RUN_COUNT']);
    expect(t.dag.tasks.wait_for_var_LOAD_MODE).toMatchObject({
      operator: 'PythonSensor',
      kwargs: { op_kwargs: { name: 'LOAD_MODE', op: '=', value: 'full' }, mode: 'reschedule' },
    });
    expect(shared().result.report.warnings.some((w) => w.job === 'C_VALUE' && w.message.includes('LOAD_MODE'))).toBe(true);
  });

  it('a condition that did not parse → TODO with the raw text, no edges', () => {
    expect(fileOf(shared(), 'standalone_jobs').content).toContain('# TODO(jil): the condition "q(C_A)" could not be parsed');
    expect(task('C_BAD2').task.upstream).toEqual([]);
  });

  it('cross-DAG upstreams → ExternalTaskSensors with the right states', () => {
    const perJob = gen('test/fixtures/jil/conditions.jil', 'per-job');
    const ok = targetTask(perJob, 'C_SUCCESS_ALL');
    expect(ok.task.upstream).toEqual(['wait_for_C_A', 'wait_for_C_B']);
    expect(ok.dag.tasks.wait_for_C_A?.kwargs).toMatchObject({ external_dag_id: 'C_A', external_task_id: 'C_A', allowed_states: ['success'] });
    const failed = targetTask(perJob, 'C_FAIL_ALL');
    expect(failed.dag.tasks.wait_for_C_A?.kwargs.allowed_states).toEqual(['failed']);
    const done = targetTask(perJob, 'C_DONE_ALL');
    expect(done.dag.tasks.wait_for_C_B?.kwargs.allowed_states).toEqual(['success', 'failed']);
    // an OR whose atoms are in other DAGs cannot block on sensors: TODO
    expect(fileOf(perJob, 'C_OR_SUCCESS').content).toMatch(/# TODO\(jil\): C_OR_SUCCESS waits for success\(C_A\) is in DAG C_A and inside an OR/);
  });

  it('a box waiting on another box: its start task waits for the whole upstream DAG', () => {
    const g = gen('test/fixtures/jil/graph-edge-cases.jil', 'per-job');
    const start = targetTask(g, 'G_TOP_B');
    expect(start.id).toBe('jil_box_start');
    expect(start.dag.tasks.wait_for_G_TOP_A?.kwargs).toMatchObject({ external_dag_id: 'G_TOP_A', external_task_id: null });
    expect(start.dag.tasks.G_LEAF_B1?.upstream).toEqual(['jil_box_start', 'wait_for_G_LEAF_A3']);
  });

  it('cycles inside one DAG become TODOs so the DAG still loads', () => {
    const g = gen('test/fixtures/jil/graph-edge-cases.jil', 'shared');
    const content = fileOf(g, 'standalone_jobs').content;
    expect(content).toContain('# TODO(jil): G_CYC_1 waits for success(G_CYC_3): G_CYC_3 and G_CYC_1 are on a dependency cycle');
    expect(content).toContain('# TODO(jil): G_SELF waits for success(G_SELF): the job depends on itself');
    expect(stubDag(g, 'standalone_jobs').tasks.G_CHAIN_2?.upstream).toEqual(['G_CHAIN_1']);
  });
});

describePy('toAirflow — operators, schedules and arguments', () => {
  it('CMD on a remote machine → SSHOperator; on localhost → BashOperator; FW → FileSensor', () => {
    const g = gen('test/fixtures/jil/messy-indented.jil', 'per-job');
    const dag = stubDag(g, 'MESSY_BOX');
    expect(dag.tasks.MESSY_LOAD).toMatchObject({ operator: 'SSHOperator', kwargs: { ssh_conn_id: 'etlhost01', retries: 2 } });
    expect(dag.tasks.MESSY_REPORT).toMatchObject({ operator: 'BashOperator', kwargs: { bash_command: '/opt/etl/report.sh ' } });
    expect(dag.tasks.MESSY_FEED_WAIT).toMatchObject({
      operator: 'FileSensor',
      kwargs: { filepath: '/landing/feed_*.dat', poke_interval: 120, mode: 'reschedule' },
    });
    expect(fileOf(g, 'MESSY_BOX').content).toContain('execution_timeout=timedelta(minutes=90)');
    expect(fileOf(g, 'MESSY_BOX').content).toContain('# TODO(jil): watch_file_min_size 1024 is not checked by FileSensor');
  });

  it('Jinja in a command is escaped so it renders to itself', () => {
    const g = gen('test/fixtures/jil/messy-indented.jil', 'per-job');
    const cmd = stubDag(g, 'MESSY_BOX').tasks.MESSY_LOAD?.kwargs.command as string;
    expect(cmd.startsWith('{% raw %}')).toBe(true);
    const original = g.parsed.jobs.find((j) => j.name === 'MESSY_LOAD')?.attributes.command;
    const r = runPython(['-c', 'import sys, jinja2; print(jinja2.Template(sys.stdin.read()).render(ds="X"), end="")'], cmd);
    if (r.stderr.includes('No module named')) {
      console.warn('jinja2 not installed: render check skipped');
      return;
    }
    expect(r.stdout).toBe(original);
  });

  it('schedules from start_times / days_of_week; calendars become TODOs; timezone goes to start_date', () => {
    expect(stubDag(gen('test/fixtures/jil/public/jilutil-sample.jil', 'per-job'), 'SAMPLE_BOX_JOB')).toMatchObject({ schedule: '0 20 * * *', owner: 'root@domain' });
    expect(stubDag(gen('test/fixtures/jil/crlf-export.jil', 'per-job'), 'WIN_BOX').schedule).toBe('15 6,18 * * 1,2,3,4,5');
    const messy = gen('test/fixtures/jil/messy-indented.jil', 'per-job');
    expect(stubDag(messy, 'MESSY_BOX').schedule).toBe('30 23 * * 1,2,3,4,5');
    const content = fileOf(messy, 'MESSY_BOX').content;
    expect(content).toContain('# TODO(jil): schedule: run_calendar "BUSINESS_DAYS"');
    expect(content).toContain('# TODO(jil): schedule: exclude_calendar "HOLIDAYS_US"');
    expect(content).toContain('start_date=pendulum.datetime(2024, 1, 1, tz="US/Eastern")');
    expect(stubDag(gen('test/fixtures/jil/public/orbiter-demo.jil', 'per-job'), 'foo.job').schedule).toBeNull();
  });

  it('owner, retries, timeouts, descriptions, envvars', () => {
    const g = gen('test/fixtures/jil/crlf-export.jil', 'per-job');
    const dag = stubDag(g, 'WIN_BOX');
    expect(dag.owner).toBe('svc_batch@CORP');
    expect(dag.tasks.WIN_EXTRACT?.kwargs).toMatchObject({ ssh_conn_id: 'winhost01', command: 'C:\\batch\\extract.bat /full', retries: 2 });
    expect(fileOf(g, 'WIN_BOX').content).toContain('doc_md="Windows nightly box"');
    const etl = gen('examples/jil/nightly-etl.jil', 'per-job');
    const validate = stubDag(etl, 'SALES_NIGHTLY_BOX').tasks['SALES_STAGE_BOX.SALES_VALIDATE'];
    expect(validate?.kwargs.environment).toEqual({ ETL_ENV: 'prod', ETL_LOG_DIR: '/var/log/etl' });
    expect(stubDag(etl, 'SALES_NIGHTLY_BOX').tasks['SALES_LAND_BOX.SALES_WAIT_EU_FEED']?.kwargs.timeout).toBe(14_400);
  });

  it('box_success / box_failure become TODOs on the box', () => {
    const r = toAirflow(parseJil('insert_job: B job_type: BOX\nbox_success: s(J1)\ninsert_job: J1 box_name: B command: x'));
    expect(r.files[0]?.content).toContain('# TODO(jil): box_success "s(J1)" of box B redefines when the box succeeds/fails');
    expect(r.report.todos).toEqual([expect.objectContaining({ job: 'B', dagId: 'B' })]);
  });

  it('the example ETL: nested TaskGroups, box start tasks, a failure branch guarded', () => {
    const etl = gen('examples/jil/nightly-etl.jil', 'per-job');
    const dag = stubDag(etl, 'SALES_NIGHTLY_BOX');
    expect(dag.groups).toEqual(['SALES_LAND_BOX', 'SALES_LOAD_BOX', 'SALES_STAGE_BOX']);
    expect(dag.tasks['SALES_STAGE_BOX.jil_box_start']?.upstream).toEqual([
      'SALES_LAND_BOX.SALES_WAIT_APAC_FEED',
      'SALES_LAND_BOX.SALES_WAIT_EU_FEED',
      'SALES_LAND_BOX.SALES_WAIT_US_FEED',
    ]);
    expect(dag.tasks['SALES_STAGE_BOX.SALES_REJECTS_REPORT']?.upstream).toEqual([
      'SALES_STAGE_BOX.jil_box_start',
      'SALES_STAGE_BOX.jil_check_SALES_REJECTS_REPORT',
    ]);
    expect(dag.tasks['SALES_STAGE_BOX.jil_check_SALES_REJECTS_REPORT']?.kwargs.op_kwargs).toEqual({
      expr: ['task', ['SALES_STAGE_BOX.SALES_VALIDATE'], 'failure'],
    });
    expect(dag.tasks.SALES_PUBLISH?.upstream).toEqual(['SALES_LOAD_BOX.SALES_REFRESH_AGGS', 'wait_for_var_SALES_PUBLISH_ENABLED']);
  });
});

describe('scheduleFor', () => {
  it.each<[string, Record<string, unknown>, string | null, number]>([
    ['no date_conditions → None', { start_times: ['10:00'] }, null, 1],
    ['one time, all days', { date_conditions: true, start_times: ['20:00'] }, '0 20 * * *', 0],
    ['same minute → hour list', { date_conditions: true, start_times: ['06:15', '18:15'], days_of_week: ['mo', 'fr'] }, '15 6,18 * * 1,5', 0],
    ['hours × minutes grid', { date_conditions: true, start_times: ['10:00', '10:30', '14:00', '14:30'] }, '0,30 10,14 * * *', 0],
    ['times off the grid → first minute + TODO', { date_conditions: true, start_times: ['10:15', '14:30', '18:15'] }, '15 10,18 * * *', 1],
    ['start_mins → hourly', { date_conditions: true, start_mins: [0, 30], days_of_week: ['all'] }, '0,30 * * * *', 0],
    ['day range', { date_conditions: true, start_times: ['01:00'], days_of_week: ['mo-fr'] }, '0 1 * * 1,2,3,4,5', 0],
    ['long day names, Sunday first', { date_conditions: true, start_times: ['01:00'], days_of_week: ['sunday', 'sat'] }, '0 1 * * 0,6', 0],
    ['all seven days → *', { date_conditions: true, start_times: ['01:00'], days_of_week: ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'] }, '0 1 * * *', 0],
    ['calendars → TODOs', { date_conditions: true, start_times: ['01:00'], run_calendar: 'C', exclude_calendar: 'H' }, '0 1 * * *', 2],
    ['no time → midnight + TODO', { date_conditions: true, days_of_week: ['mo'] }, '0 0 * * 1', 1],
    ['bad time → TODO', { date_conditions: true, start_times: ['25:00', '01:00'] }, '0 1 * * *', 1],
  ])('%s', (_name, attrs, cron, todoCount) => {
    const s = scheduleFor(attrs as never);
    expect(s.cron).toBe(cron);
    expect(s.todos).toHaveLength(todoCount);
  });
});

describe('Python literals and Jinja escaping', () => {
  const tricky = [
    'plain',
    `say "hi" and 'bye'`,
    'C:\\temp\\new\\x.bat',
    'line1\nline2\r\n\ttab',
    'nul\u0000 bell\u0007 del\u007f',
    'unicode: café — 日本 😀',
    'lone surrogate \ud800 end',
    '{{ ds }} {% if x %} {# c #}',
    '\\N{DASH} \\u0041 \\x41',
    '"""triple"""',
  ];

  it('pyStr round-trips through Python exactly', () => {
    if (!HAVE_PYTHON) return;
    const script = `import json\nprint(json.dumps([${tricky.map(pyStr).join(', ')}]))`;
    const r = runPython(['-c', script]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(tricky);
  });

  it('jinjaSafe wraps template syntax and adds the space after script names', () => {
    expect(jinjaSafe('echo {{ ds }}', true)).toBe('{% raw %}echo {{ ds }}{% endraw %}');
    expect(jinjaSafe('echo {# x', true)).toBe('{% raw %}echo {# x{% endraw %}');
    expect(jinjaSafe('/opt/run.sh', true)).toBe('/opt/run.sh ');
    expect(jinjaSafe('/opt/run.bash', true)).toBe('/opt/run.bash ');
    expect(jinjaSafe('/opt/run.sh', false)).toBe('/opt/run.sh');
    expect(jinjaSafe('/opt/run.sh --x', true)).toBe('/opt/run.sh --x');
    expect(jinjaSafe('a { b } c', true)).toBe('a { b } c');
  });
});

describePy('toAirflow — odd inputs still give loadable DAGs', () => {
  const long = (k: number) => `BOX_${k}_${'X'.repeat(58)}`;
  const cases: Record<string, string> = {
    empty: '',
    onlyComments: '/* a */\n# b\n/* c\n d */',
    weirdNames:
      'insert_job: "quoted name" job_type: BOX\ninsert_job: Jöb-ü box_name: "quoted name" command: echo ü\n' +
      "insert_job: it's\\odd box_name: \"quoted name\" command: x\ncondition: s(Jöb-ü) & s(it's\\odd)\ninsert_job: end\ncondition: s(it's\\odd)",
    selfBox: 'insert_job: B job_type: BOX box_name: B\ninsert_job: C box_name: B command: x\ncondition: s(B)',
    deepNesting:
      Array.from({ length: 40 }, (_, i) => `insert_job: B${i} job_type: BOX${i > 0 ? ` box_name: B${i - 1}` : ''}${i === 30 ? '\ncondition: s(AFTER)' : ''}`).join('\n') +
      '\ninsert_job: LEAF box_name: B39 command: x\ninsert_job: AFTER box_name: B0 command: y\ncondition: s(LEAF)',
    longNames:
      Array.from({ length: 5 }, (_, i) => `insert_job: ${long(i)} job_type: BOX${i > 0 ? ` box_name: ${long(i - 1)}` : ''}`).join('\n') +
      `\ninsert_job: ${'J'.repeat(64)} box_name: ${long(4)} command: x\ninsert_job: ${'K'.repeat(64)} box_name: ${long(4)} command: y\ncondition: f(${'J'.repeat(64)})`,
    caseOnlyDifferentDags: 'insert_job: abc command: x\ninsert_job: ABC command: y\ncondition: s(abc)',
    boxDependsOnItsJob: 'insert_job: B job_type: BOX\ncondition: s(C)\ninsert_job: C box_name: B command: x\ninsert_job: D box_name: B command: y\ncondition: s(B)',
    crossGroupCycle:
      'insert_job: T job_type: BOX\ninsert_job: G1 job_type: BOX box_name: T\ncondition: s(G2)\ninsert_job: G2 job_type: BOX box_name: T\n' +
      'insert_job: A box_name: G1 command: a\ninsert_job: B box_name: G2 command: b\ncondition: s(A)',
  };

  it.each(Object.keys(cases))('%s', (name) => {
    const parsed = parseJil(cases[name] as string);
    const dir = join(tmp, `odd-${name}`);
    const paths: string[] = [];
    for (const mode of ['component', 'per-job', 'shared'] as const) {
      const r = toAirflow(parsed, { standalone: mode });
      expect(AirflowResult.safeParse(r).success).toBe(true);
      for (const f of r.files) {
        const p = join(dir, mode, f.path);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, f.content);
        paths.push(p);
      }
    }
    if (paths.length === 0) return;
    const compiled = runPython(['-m', 'py_compile', ...paths]);
    expect(compiled.stderr).toBe('');
    const summary = runStubDags(paths);
    expect(summary.errors).toEqual([]);
    expect(summary.dags).toHaveLength(paths.length);
  });
});
