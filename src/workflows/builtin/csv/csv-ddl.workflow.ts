import { z } from 'zod';
import { artifactParam, defineWorkflow, param, type NodeContext } from '../../define-workflow.js';
import { baseName } from '../base-name.js';
import { withArtifacts } from '../../with-artifacts.js';
import { SqlDialect } from './lib/ddl/ddl-options.js';
import { generateDdl } from './lib/ddl/generate-ddl.js';
import { CsvProfile } from './lib/profile-schema.js';

/** csv.schema_ddl: a CREATE TABLE for one dialect from a stored profile. */
export const csvSchemaDdl = defineWorkflow({
  name: 'csv.schema_ddl',
  description: 'Generate CREATE TABLE DDL (PostgreSQL, Snowflake, BigQuery or Redshift) from a CSV profile, with column types, NOT NULL and safe identifiers.',
  examples: ['give me postgres DDL for this csv', 'generate a create table statement', 'snowflake schema for this file', 'bigquery table definition'],
  tags: ['csv', 'sql'],
  produces: { ddlArtifactId: 'sql.ddl' },
  queue: 'csv',
  input: z.object({
    profileArtifactId: artifactParam({
      description: 'The CSV to describe: its profile (the JSON artifact csv.profile made), or the CSV itself, which is profiled first.',
      ask: 'Which CSV should I use? Attach the file (it is profiled first), or give its profile artifact id.',
      accepts: ['csv.profile'],
    }),
    dialect: param(SqlDialect, { description: 'SQL dialect: postgres, snowflake, bigquery or redshift.', ask: 'Which SQL dialect: postgres, snowflake, bigquery or redshift?' }),
    table: param(z.string().min(1).max(128).optional(), { description: 'Table name; defaults to the CSV file name.' }),
    schema: param(z.string().min(1).max(128).optional(), { description: 'Schema (BigQuery: dataset) to create the table in.' }),
  }),
  output: z.object({ ddlArtifactId: z.string(), dialect: SqlDialect, table: z.string() }),
  nodes: {
    // The table is named after the uploaded CSV (through the profile's lineage) unless given.
    table: {
      run: async (state, ctx) => {
        if (typeof state.table === 'string' && state.table) return { table: state.table };
        return { table: await sourceTableName(ctx, String(state.profileArtifactId)) };
      },
    },
    ddl: {
      after: ['table'],
      run: withArtifacts(
        {
          as: 'ddlArtifactId',
          contentType: 'text',
          mimeType: 'application/sql',
          parentsFrom: ['profileArtifactId'],
          name: (s) => `${String(s.table ?? 'data')}.${String(s.dialect)}.sql`,
          description: 'CREATE TABLE statement',
        },
        async (state, ctx) => {
          const profile = CsvProfile.parse(await ctx.artifacts.getJson(String(state.profileArtifactId)));
          const dialect = SqlDialect.parse(state.dialect);
          const table = typeof state.table === 'string' && state.table ? state.table : 'data';
          const ddl = generateDdl(profile, { dialect, table, ...(typeof state.schema === 'string' ? { schema: state.schema } : {}) });
          return { output: ddl, dialect, table };
        },
      ),
    },
  },
  summarize: (o) => `${o.dialect} CREATE TABLE for ${o.table} in ${o.ddlArtifactId}`,
});

/** `orders` for a profile made from `orders.csv`: the base name of the profile's first named parent, else `data`. */
async function sourceTableName(ctx: NodeContext, profileId: string): Promise<string> {
  const profile = await ctx.artifacts.peek(profileId);
  for (const parent of profile.parentArtifacts) {
    const source = await ctx.artifacts.peek(parent).catch(() => null);
    if (source?.name) return baseName(source.name);
  }
  return 'data';
}
