import { z } from 'zod';
import { param } from '../../define-workflow.js';
import type { WorkflowRegistry } from '../../registry.js';
import { csvSchemaDdl } from './csv-ddl.workflow.js';
import { csvProfile } from './csv-profile.workflow.js';
import { csvQuality } from './csv-quality.workflow.js';
import { SqlDialect } from './lib/ddl/ddl-options.js';
import { csvSourceParam } from './source-param.js';

export { csvProfile, csvQuality, csvSchemaDdl };

/** The CSV workflows and the chain users ask for: profile, then DDL ∥ quality. */
export function registerCsv(registry: WorkflowRegistry): void {
  registry.register(csvProfile).register(csvSchemaDdl).register(csvQuality);
  registry.registerChain({
    name: 'csv.pipeline',
    description: 'Profile a CSV, then generate CREATE TABLE DDL and a data-quality report from the profile, in parallel.',
    examples: [
      'profile this CSV and give me Postgres DDL and a quality report',
      'profile this csv then create the table ddl and check quality',
      'full csv onboarding: profile, ddl and quality',
    ],
    input: z.object({
      source: csvSourceParam(),
      dialect: param(SqlDialect, { description: 'SQL dialect of the DDL: postgres, snowflake, bigquery or redshift.', ask: 'Which SQL dialect: postgres, snowflake, bigquery or redshift?' }),
      table: param(z.string().min(1).max(128).optional(), { description: 'Table name; defaults to the CSV file name.' }),
    }),
    spec: {
      sequence: [{ workflow: 'csv.profile', id: 'profile' }, { parallel: [{ workflow: 'csv.schema_ddl', id: 'ddl' }, { workflow: 'csv.quality', id: 'quality' }] }],
    },
  });
}
