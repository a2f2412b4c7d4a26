import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { intentsOf, type RouteRequest } from '../../src/llm/llm.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { selectDags } from '../../src/workflows/builtin/jil/lib/airflow/select-dags.js';
import { toAirflow } from '../../src/workflows/builtin/jil/lib/airflow/to-airflow.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

const whole = toAirflow(parseJil(readFileSync(new URL('../../examples/jil/month-end-finance.jil', import.meta.url), 'utf8')));

describe('converting only some boxes', () => {
  it('keeps the DAG files that hold the named boxes or jobs (any case), and their report entries', () => {
    expect(whole.files.map((f) => f.path)).toEqual(['dags/FIN_GL_CLOSE_BOX.py', 'dags/FIN_REPORTING_BOX.py']);
    const one = selectDags(whole, ['FIN_REPORTING_BOX']);
    expect(one.files.map((f) => f.path)).toEqual(['dags/FIN_REPORTING_BOX.py']);
    expect(one.report.tasks.every((t) => t.dagId === 'FIN_REPORTING_BOX')).toBe(true);
    expect(one.report.edges.length).toBeGreaterThan(0);
    expect(one.report.edges.every((e) => e.dagId === 'FIN_REPORTING_BOX')).toBe(true);
    expect(selectDags(whole, ['fin_pnl_report']).files.map((f) => f.path)).toEqual(['dags/FIN_REPORTING_BOX.py']);
    expect(selectDags(whole, ['FIN_GL_POST', 'FIN_PNL_REPORT']).files).toHaveLength(2);
  });
  it('a dependency on a box left out still points at the DAG a full conversion makes', () => {
    const file = selectDags(whole, ['FIN_REPORTING_BOX']).files[0]!.content;
    expect(file).toBe(whole.files.find((f) => f.path === 'dags/FIN_REPORTING_BOX.py')!.content);
    expect(file).toMatch(/external_dag_id="FIN_GL_CLOSE_BOX"/);
  });
  it('a name that is no job of the file is refused, naming it and the boxes there are', () => {
    expect(() => selectDags(whole, ['FIN_REPORTING_BOX', 'NOPE'])).toThrow(ValidationError);
    expect(() => selectDags(whole, ['NOPE'])).toThrow('not a job or box of this file: NOPE (its boxes and DAGs include FIN_GL_CLOSE_BOX, FIN_REPORTING_BOX)');
  });
  it('"convert only X and Y to airflow" gives the names to the only parameter', () => {
    const registry = registerBuiltins(new WorkflowRegistry());
    const artifacts = [{ artifactId: 'art_00000000-0000-0000-0000-000000000001', name: 'month-end.jil', contentType: 'text/plain', kind: 'jil' }];
    const route = (message: string) =>
      intentsOf(new OfflineLlm().routeSync({ message, contextSummary: '', tools: registry.toolSpecs(), artifacts, preferredWorkflows: [] } as unknown as RouteRequest));
    expect(route('convert only FIN_REPORTING_BOX and FIN_GL_CLOSE_BOX to airflow')).toEqual([
      { tool: 'jil.to_airflow', params: { parsedArtifactId: artifacts[0]!.artifactId, only: ['FIN_REPORTING_BOX', 'FIN_GL_CLOSE_BOX'] } },
    ]);
    expect(route('convert this jil to airflow')[0]!.params).not.toHaveProperty('only');
  });
});
