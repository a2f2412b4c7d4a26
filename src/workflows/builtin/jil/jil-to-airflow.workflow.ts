import { z } from 'zod';
import { defineWorkflow, param } from '../../define-workflow.js';
import { artifactKindFields } from '../../with-artifacts.js';
import { toAirflow } from './lib/airflow/to-airflow.js';
import { selectDags } from './lib/airflow/select-dags.js';
import { JilParseResult } from './lib/parse-schema.js';
import { parsedJilParam } from './jil-analyze.workflow.js';
import { plural } from '../plural.js';

/** jil.to_airflow: one Python DAG artifact per generated file, plus a JSON report of edges, warnings and TODOs. */
export const jilToAirflow = defineWorkflow({
  name: 'jil.to_airflow',
  description:
    'Convert parsed AutoSys JIL to Apache Airflow 2 DAG Python files: boxes become DAGs and TaskGroups, standalone jobs connected by conditions one DAG per connected component, CMD jobs BashOperator/SSHOperator, file watchers FileSensor, conditions edges with correct trigger rules, sensors, or explicit TODOs.',
  examples: ['convert this jil to airflow', 'generate airflow dags from the autosys jobs', 'migrate autosys to airflow', 'make airflow DAG files'],
  tags: ['jil', 'airflow'],
  produces: { dagArtifactIds: 'airflow.dag', reportArtifactId: 'airflow.report' },
  queue: 'jil',
  input: z.object({
    parsedArtifactId: parsedJilParam(),
    standalone: param(z.enum(['component', 'per-job', 'shared']).optional(), {
      description:
        'Jobs outside boxes: one DAG per group of jobs connected by conditions (component, default), one DAG each joined by sensors (per-job), or one shared standalone_jobs DAG.',
    }),
    only: param(z.array(z.string().min(1).max(200)).min(1).max(500).optional(), {
      description:
        'Convert only the DAGs that hold these boxes or jobs (names from the file, e.g. "only SALES_STAGE_BOX"); a dependency on a job left out still points at the DAG a full conversion puts it in. Default: every DAG.',
    }),
  }),
  output: z.object({
    dagArtifactIds: z.array(z.string()),
    reportArtifactId: z.string(),
    dags: z.number(),
    todos: z.number(),
    warnings: z.number(),
    /** The JIL export's name (as jil.parse named it), so a reply about several files can tell them apart. */
    name: z.string().optional(),
  }),
  nodes: {
    convert: {
      run: async (state, ctx) => {
        const parsedId = String(state.parsedArtifactId);
        const parsed = JilParseResult.parse(await ctx.artifacts.getJson(parsedId));
        const whole = toAirflow(parsed, state.standalone ? { standalone: state.standalone as 'component' | 'per-job' | 'shared' } : {});
        const result = Array.isArray(state.only) ? selectDags(whole, state.only as string[]) : whole;
        const common = { workflowName: ctx.workflow, createdBy: `${ctx.workflow}.${ctx.node}`, parentArtifacts: [parsedId] };
        const dagArtifactIds: string[] = [];
        for (const [i, file] of result.files.entries()) {
          // one output key per DAG file: a retried conversion finds the DAGs it already stored
          const a = await ctx.artifacts.store({
            ...common,
            outputKey: `dag:${file.path}`,
            content: file.content,
            contentType: 'text',
            mimeType: 'text/x-python',
            name: file.path,
            description: 'Airflow DAG generated from JIL',
            tags: { runId: ctx.runId, kind: 'airflow_dag' },
            ...artifactKindFields(ctx, 'airflow.dag'),
          });
          dagArtifactIds.push(a.artifactId);
          await ctx.progress(Math.round(((i + 1) / (result.files.length + 1)) * 100));
        }
        const report = await ctx.artifacts.store({
          ...common,
          outputKey: 'report',
          content: result.report,
          contentType: 'json',
          name: 'airflow-report.json',
          description: 'How every JIL dependency was carried into Airflow, with warnings and TODOs',
          tags: { runId: ctx.runId, kind: 'airflow_report' },
          ...artifactKindFields(ctx, 'airflow.report'),
        });
        const source = (await ctx.artifacts.peek(parsedId)).name?.replace(/\.parsed\.json$/, '');
        return {
          ...(source ? { name: source } : {}),
          dagArtifactIds,
          reportArtifactId: report.artifactId,
          dags: result.files.length,
          todos: result.report.todos.length,
          warnings: result.report.warnings.length,
          artifacts: [...dagArtifactIds, report.artifactId],
        };
      },
    },
  },
  summarize: (o) => `${plural(o.dags, 'DAG file')} (${plural(o.todos, 'TODO')} to review, ${plural(o.warnings, 'warning')}); report ${o.reportArtifactId}`,
});
