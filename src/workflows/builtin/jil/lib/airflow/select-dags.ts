import { ValidationError } from '../../../../../errors/index.js';
import type { AirflowResult } from './schema.js';

/** Most unknown names quoted in the error. */
const MAX_QUOTED = 10;

/**
 * The part of a whole-file conversion that holds `only` (boxes or jobs, by name, case-insensitive):
 * the DAG files they are in, and the report entries of those DAGs (and of none). The conversion is
 * made for the whole file first, so a dependency on a job left out still points at the DAG a full
 * conversion puts it in. A name that is no job of the file is a ValidationError naming it.
 */
export function selectDags(result: AirflowResult, only: readonly string[]): AirflowResult {
  const fileOf = new Map(result.report.tasks.map((t) => [t.job.toLowerCase(), t]));
  const unknown = only.filter((n) => !fileOf.has(n.trim().toLowerCase()));
  if (unknown.length) {
    const some = result.report.tasks.filter((t) => t.kind !== 'task').slice(0, MAX_QUOTED).map((t) => t.job);
    throw new ValidationError(
      `not a job or box of this file: ${unknown.slice(0, MAX_QUOTED).join(', ')}${unknown.length > MAX_QUOTED ? ` and ${unknown.length - MAX_QUOTED} more` : ''}${some.length ? ` (its boxes and DAGs include ${some.join(', ')})` : ''}`,
    );
  }
  const picked = only.map((n) => fileOf.get(n.trim().toLowerCase())!);
  const files = new Set(picked.map((t) => t.file));
  const dags = new Set(picked.map((t) => t.dagId));
  const kept = <T extends { dagId: string | null }>(xs: T[]) => xs.filter((x) => x.dagId === null || dags.has(x.dagId));
  return {
    files: result.files.filter((f) => files.has(f.path)),
    report: {
      warnings: kept(result.report.warnings),
      todos: kept(result.report.todos),
      edges: result.report.edges.filter((e) => dags.has(e.dagId)),
      tasks: result.report.tasks.filter((t) => dags.has(t.dagId)),
    },
  };
}
