import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** The Airflow stand-in the generated DAG files are run against (no Airflow install needed). */
export const AIRFLOW_STUB = join(fileURLToPath(new URL('../../', import.meta.url)), 'test/fixtures/jil/airflow-stub');

/** python3 answers: the py_compile and stub checks run (else they are skipped, with a warning). */
export const HAVE_PYTHON = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
if (!HAVE_PYTHON) console.warn('python3 not found: the py_compile / execution checks of the generated DAGs are skipped');

/** `describe` when python3 is there, else `describe.skip`. */
export const describePy = HAVE_PYTHON ? describe : describe.skip;

/** One task as the stub records it. */
export interface StubTask {
  operator: string;
  trigger_rule: string;
  upstream: string[];
  kwargs: Record<string, unknown>;
}

/** One DAG as the stub records it (`file`: the path it was loaded from). */
export interface StubDag {
  file: string;
  dag_id: string;
  schedule: string | null;
  owner: string;
  groups: string[];
  tasks: Record<string, StubTask>;
}

/** Runs python3 with `args` (and `input` on stdin). */
export function runPython(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('python3', args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Loads the DAG files through the stub: the process's status and stderr, and what it recorded. */
export function runStubDags(paths: string[]): { status: number | null; stderr: string; dags: StubDag[]; errors: unknown[] } {
  const r = runPython([join(AIRFLOW_STUB, 'run_dags.py'), ...paths]);
  const summary = r.status === 0 ? (JSON.parse(r.stdout) as { dags: StubDag[]; errors: unknown[] }) : { dags: [], errors: [] };
  return { status: r.status, stderr: r.stderr, ...summary };
}
