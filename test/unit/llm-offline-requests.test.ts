import { describe, expect, it } from 'vitest';
import type { ArtifactHint } from '../../src/llm/llm.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';
import { extractParams } from '../../src/llm/param-extract.js';
import { readProps } from '../../src/llm/schema-props.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

/*
 * The offline router on the built-in tools, with a file attached: plain-English questions go to the
 * workflow that answers them, "parse it and convert it" is those two steps (not the chain that also
 * analyzes), and one parameter given several values joined by "and" is one request per value.
 */

const tools = registerBuiltins(new WorkflowRegistry()).toolSpecs();
const JIL: ArtifactHint = { artifactId: 'art_00000000-0000-4000-8000-000000000001', name: 'nightly.jil', contentType: 'text/plain', kind: 'jil' };
const CSV: ArtifactHint = { artifactId: 'art_00000000-0000-4000-8000-000000000002', name: 'orders.csv', contentType: 'text/csv', kind: 'csv' };
const route = (message: string, file: ArtifactHint) => new OfflineLlm().routeSync({ message, tools, artifacts: [file], contextSummary: '', preferredWorkflows: [] });
const toolsOf = (message: string, file: ArtifactHint) => route(message, file).intents.map((i) => i.tool);

describe('plain-English requests with a file attached', () => {
  it.each([
    ['which jobs have no upstream', JIL, ['jil.analyze']],
    ['which jobs have no upstream dependencies?', JIL, ['jil.analyze']],
    ['what breaks if SALES_VALIDATE fails', JIL, ['jil.analyze']],
    ['what would break if LOAD_ORDERS failed?', JIL, ['jil.analyze']],
    ['what columns does this have', CSV, ['csv.profile']],
    ['summarize this dataset', CSV, ['csv.profile']],
    ['parse it and convert it', JIL, ['jil.parse', 'jil.to_airflow']],
    ['parse it, then convert it', JIL, ['jil.parse', 'jil.to_airflow']],
    // the chain's own words still name the chain
    ['parse this JIL, then analyze it and convert it to Airflow', JIL, ['jil.pipeline']],
    // below the threshold, the attached file's kind picks the clearly best tool for it
    ['what is downstream of LOAD_ORDERS', JIL, ['jil.analyze']],
    ['which columns are in here', CSV, ['csv.profile']],
    // a workflow beats a chain of the same score
    ['give me a summary of this csv', CSV, ['csv.profile']],
    ['convert it', JIL, ['jil.to_airflow']],
  ] as const)('%s → %j', (message, file, expected) => {
    expect(toolsOf(message, file)).toEqual(expected);
  });

  it('the file kind decides only when it is about that kind of file and one tool clearly leads', () => {
    // the same words with a CSV attached: no JIL tool is guessed
    expect(toolsOf('what is downstream of LOAD_ORDERS', CSV)).toEqual([]);
    // a tie between two CSV tools stays undecided
    expect(toolsOf('tell me about this file', CSV)).toEqual([]);
  });

  it('the attached file fills the artifact parameter', () => {
    expect(route('which jobs have no upstream', JIL).intents[0]?.params).toEqual({ parsedArtifactId: JIL.artifactId });
  });
});

describe('several values of one parameter joined by "and": one request each', () => {
  it('DDL in postgres and bigquery → two csv.schema_ddl requests, in the order written', () => {
    expect(route('DDL in postgres and bigquery', CSV).intents).toEqual([
      { tool: 'csv.schema_ddl', params: { profileArtifactId: CSV.artifactId, dialect: 'postgres' } },
      { tool: 'csv.schema_ddl', params: { profileArtifactId: CSV.artifactId, dialect: 'bigquery' } },
    ]);
    expect(route('create table ddl for snowflake, redshift and pg', CSV).intents.map((i) => i.params.dialect)).toEqual(['snowflake', 'redshift', 'postgres']);
  });

  it('"or" is a choice, not two requests; one value is one request', () => {
    expect(route('DDL in postgres or bigquery', CSV).intents).toEqual([{ tool: 'csv.schema_ddl', params: { profileArtifactId: CSV.artifactId } }]);
    expect(route('give me redshift DDL for this csv', CSV).intents).toEqual([{ tool: 'csv.schema_ddl', params: { profileArtifactId: CSV.artifactId, dialect: 'redshift' } }]);
  });

  it('extractParams reports the alternatives and leaves the parameter unset', () => {
    const ddl = tools.find((t) => t.name === 'csv.schema_ddl')!;
    const ext = extractParams('DDL in postgres and big query', readProps(ddl.inputSchema));
    expect(ext.params.dialect).toBeUndefined();
    expect(ext.alternatives).toEqual({ dialect: ['postgres', 'bigquery'] });
    expect(extractParams('postgres DDL, not bigquery', readProps(ddl.inputSchema)).alternatives).toBeUndefined();
  });
});
