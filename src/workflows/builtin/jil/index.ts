import { z } from 'zod';
import type { WorkflowRegistry } from '../../registry.js';
import { jilAnalyze } from './jil-analyze.workflow.js';
import { jilParse, jilSourceParam } from './jil-parse.workflow.js';
import { jilToAirflow } from './jil-to-airflow.workflow.js';

export { jilAnalyze, jilParse, jilToAirflow };

/** The JIL workflows and the chain users ask for: parse, then analyze ∥ convert. */
export function registerJil(registry: WorkflowRegistry): void {
  registry.register(jilParse).register(jilAnalyze).register(jilToAirflow);
  registry.registerChain({
    name: 'jil.pipeline',
    description: 'Parse an AutoSys JIL export, then analyze its dependency graph and convert it to Airflow DAGs, in parallel.',
    examples: [
      'parse this JIL, then analyze it and convert it to Airflow',
      'parse this jil then analyze and convert to airflow',
      'migrate this autosys export: parse, analyze and generate airflow',
    ],
    input: z.object({ jil: jilSourceParam() }),
    spec: {
      sequence: [{ workflow: 'jil.parse', id: 'parse' }, { parallel: [{ workflow: 'jil.analyze', id: 'analyze' }, { workflow: 'jil.to_airflow', id: 'airflow' }] }],
    },
  });
}
