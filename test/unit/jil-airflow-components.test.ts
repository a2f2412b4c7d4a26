import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standaloneComponents } from '../../src/workflows/builtin/jil/lib/airflow/components.js';
import type { AirflowOptions, AirflowResult } from '../../src/workflows/builtin/jil/lib/airflow/schema.js';
import { toAirflow } from '../../src/workflows/builtin/jil/lib/airflow/to-airflow.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';
import { HAVE_PYTHON, describePy, runPython, runStubDags, type StubDag } from '../support/airflow-stub.js';

/**
 * Standalone jobs connected by conditions share one DAG per connected component; a DAG that nothing can
 * start says so. The generated files run against the Airflow stand-in in test/fixtures/jil/airflow-stub.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = readFileSync(join(ROOT, 'test/fixtures/jil/standalone-components.jil'), 'utf8');

let tmp = '';
const results = new Map<string, AirflowResult>();
const dags = new Map<string, StubDag>(); // `${mode}/${dag_id}`

function run(mode: NonNullable<AirflowOptions['standalone']> | 'default'): AirflowResult {
  const r = results.get(mode);
  if (!r) throw new Error(`not generated: ${mode}`);
  return r;
}
function dag(mode: string, dagId: string): StubDag {
  const d = dags.get(`${mode}/${dagId}`);
  if (!d) throw new Error(`no DAG ${dagId} in ${mode}: ${[...dags.keys()].join(', ')}`);
  return d;
}
function file(mode: 'default' | 'per-job', dagId: string): string {
  const f = run(mode).files.find((x) => x.path === `dags/${dagId}.py`);
  if (!f) throw new Error(`no file for ${dagId}`);
  return f.content;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'jil-components-'));
  const parsed = parseJil(FIXTURE);
  const paths: string[] = [];
  for (const mode of ['default', 'per-job'] as const) {
    const result = toAirflow(parsed, mode === 'default' ? {} : { standalone: mode });
    results.set(mode, result);
    for (const f of result.files) {
      const path = join(tmp, mode, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
      paths.push(path);
    }
  }
  if (HAVE_PYTHON) {
    for (const p of paths) {
      const c = runPython(['-m', 'py_compile', p]);
      expect(c.status, c.stderr).toBe(0);
    }
    const summary = runStubDags(paths);
    expect(summary.status, summary.stderr).toBe(0);
    expect(summary.errors).toEqual([]);
    for (const d of summary.dags) dags.set(`${d.file.slice(tmp.length + 1).split('/')[0]}/${d.dag_id}`, d);
  }
}, 60_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('standaloneComponents', () => {
  it('groups jobs connected by conditions (either direction), keeps file order, picks the scheduled root', () => {
    const parsed = parseJil(FIXTURE);
    const standalone = parsed.jobs.filter((j) => j.type !== 'BOX' && j.attributes.box_name === undefined);
    const comps = standaloneComponents(standalone).map((c) => ({ root: c.root.name, jobs: c.jobs.map((j) => j.name) }));
    expect(comps).toEqual([
      { root: 'SC_EXTRACT', jobs: ['SC_EXTRACT', 'SC_AUDIT', 'SC_LOAD', 'SC_REPORT', 'SC_LATE'] },
      { root: 'SC_ALONE', jobs: ['SC_ALONE'] },
      // n(SC_ALONE) is not an ordering edge; s(SC_BOX) is on a box, which is not merged
      { root: 'SC_AFTER_BOX', jobs: ['SC_AFTER_BOX', 'SC_AFTER_BOX_2'] },
      { root: 'SC_TIMED_AFTER_BOX', jobs: ['SC_TIMED_AFTER_BOX'] },
    ]);
  });

  it('a root without a schedule yields to one with a schedule; a pure cycle takes its first job', () => {
    const p = parseJil('insert_job: A command: a\ninsert_job: B command: b\ndate_conditions: 1\nstart_times: "01:00"\ninsert_job: C command: c\ncondition: s(A) & s(B)');
    expect(standaloneComponents(p.jobs).map((c) => c.root.name)).toEqual(['B']);
    const cyc = parseJil('insert_job: X command: x\ncondition: s(Y)\ninsert_job: Y command: y\ncondition: s(X)');
    expect(standaloneComponents(cyc.jobs).map((c) => c.root.name)).toEqual(['X']);
  });
});

describePy('toAirflow — one DAG per connected component of standalone jobs (default)', () => {
  it('connected standalone jobs share one DAG named after the root, with its schedule and owner', () => {
    expect(run('default').files.map((f) => f.path)).toEqual(['dags/SC_EXTRACT.py', 'dags/SC_ALONE.py', 'dags/SC_BOX.py', 'dags/SC_AFTER_BOX.py', 'dags/SC_TIMED_AFTER_BOX.py']);
    const d = dag('default', 'SC_EXTRACT');
    expect(d.schedule).toBe('0 2 * * *');
    expect(d.owner).toBe('etl@host');
    expect(Object.keys(d.tasks).sort()).toEqual(['SC_AUDIT', 'SC_EXTRACT', 'SC_LATE', 'SC_LOAD', 'SC_REPORT', 'jil_check_SC_REPORT']);
  });

  it('conditions inside the component are edges and trigger rules, not ExternalTaskSensors', () => {
    const d = dag('default', 'SC_EXTRACT');
    expect(Object.values(d.tasks).some((t) => t.operator === 'ExternalTaskSensor')).toBe(false);
    expect(d.tasks.SC_LOAD?.upstream).toEqual(['SC_EXTRACT']);
    expect(d.tasks.SC_AUDIT).toMatchObject({ upstream: ['SC_EXTRACT'], trigger_rule: 'all_done' });
    // a mix of statuses inside the component: the guard, fed by both upstreams
    expect(d.tasks.jil_check_SC_REPORT?.upstream).toEqual(['SC_AUDIT', 'SC_LOAD']);
    expect(d.tasks.SC_REPORT?.upstream).toEqual(['jil_check_SC_REPORT']);
    expect(d.tasks.SC_LATE?.upstream).toEqual(['SC_REPORT']);
    const edges = run('default').report.edges.filter((e) => e.dagId === 'SC_EXTRACT');
    expect(edges.map((e) => e.via).sort()).toEqual(['edge', 'edge', 'edge', 'guard', 'guard']);
  });

  it('a member with its own start time gets a TODO (the DAG runs on the root schedule)', () => {
    expect(file('default', 'SC_EXTRACT')).toMatch(/# TODO\(jil\): SC_LATE has its own start time \(06:00\)/);
  });

  it('an unconnected job keeps its own DAG and schedule', () => {
    expect(dag('default', 'SC_ALONE').schedule).toBe('0 5 * * *');
  });

  it('jobs waiting on a box keep one sensor on the box DAG, and their own edges among themselves', () => {
    const d = dag('default', 'SC_AFTER_BOX');
    expect(d.tasks.wait_for_SC_BOX?.kwargs).toMatchObject({ external_dag_id: 'SC_BOX', allowed_states: ['success'] });
    expect(d.tasks.SC_AFTER_BOX?.upstream).toEqual(['wait_for_SC_BOX']);
    expect(d.tasks.SC_AFTER_BOX_2?.upstream).toEqual(['SC_AFTER_BOX']);
  });

  it('per-job still gives one DAG per job, joined by ExternalTaskSensors', () => {
    const paths = run('per-job').files.map((f) => f.path);
    expect(paths).toContain('dags/SC_LOAD.py');
    expect(dag('per-job', 'SC_LOAD').tasks.wait_for_SC_EXTRACT?.kwargs).toMatchObject({ external_dag_id: 'SC_EXTRACT', external_task_id: 'SC_EXTRACT' });
  });
});

describePy('toAirflow — a DAG that can never start says so', () => {
  const NEVER = /# TODO\(jil\): this DAG never starts by itself: schedule=None and its only start tasks are sensors \(wait_for_SC_BOX waiting for DAG SC_BOX\)/;

  it('schedule=None with only sensors at the start → TODO in the file (above the tasks) and a report warning', () => {
    const content = file('default', 'SC_AFTER_BOX');
    expect(dag('default', 'SC_AFTER_BOX').schedule).toBeNull();
    expect(content).toMatch(NEVER);
    expect(content).toContain('TriggerDagRunOperator');
    expect(content.indexOf('TODO(jil): this DAG never starts')).toBeLessThan(content.indexOf('w_wait_for_SC_BOX = ExternalTaskSensor('));
    const r = run('default').report;
    for (const list of [r.warnings, r.todos]) {
      expect(list.filter((w) => w.message.includes('never starts by itself')).map((w) => w.dagId)).toEqual(['SC_AFTER_BOX']);
    }
  });

  it('not for a scheduled DAG that waits on a sensor, nor for an unscheduled DAG that starts with a job', () => {
    expect(dag('default', 'SC_TIMED_AFTER_BOX').tasks.wait_for_SC_BOX).toBeDefined();
    expect(file('default', 'SC_TIMED_AFTER_BOX')).not.toContain('never starts');
    const manual = toAirflow(parseJil('insert_job: M command: m\ninsert_job: N command: n\ncondition: s(M)'));
    expect(manual.report.warnings.some((w) => w.message.includes('never starts'))).toBe(false);
  });

  it('per-job: every unscheduled job DAG that only waits on sensors is flagged', () => {
    const flagged = run('per-job').report.todos.filter((t) => t.message.includes('never starts by itself')).map((t) => t.dagId).sort();
    expect(flagged).toEqual(['SC_AFTER_BOX', 'SC_AFTER_BOX_2', 'SC_AUDIT', 'SC_LOAD', 'SC_REPORT']);
    expect(file('per-job', 'SC_AUDIT')).toMatch(/give it the schedule of SC_EXTRACT/);
  });

  it('a variable sensor at the start of an unscheduled DAG is flagged too', () => {
    const r = toAirflow(parseJil('insert_job: V command: v\ncondition: v(GO) = "yes"'));
    expect(r.files[0]?.content).toMatch(/# TODO\(jil\): this DAG never starts by itself: .*waiting for Airflow Variable GO/);
  });
});
