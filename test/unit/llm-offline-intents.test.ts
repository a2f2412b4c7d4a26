import { describe, expect, it } from 'vitest';
import type { ArtifactHint, ToolSpec } from '../../src/llm/llm.js';
import { splitClauses } from '../../src/llm/offline-intents.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';
import { editDistance, fixTypos, TypoVocabulary } from '../../src/llm/typo-fix.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

const tools: ToolSpec[] = registerBuiltins(new WorkflowRegistry()).toolSpecs();
const jil: ArtifactHint = { artifactId: 'art_jil1', name: 'nightly-etl.jil', contentType: 'text/plain', kind: 'jil' };
const csv: ArtifactHint = { artifactId: 'art_csv1', name: 'orders.csv', contentType: 'text/csv', kind: 'csv' };
const llm = new OfflineLlm();
const route = (message: string, artifacts: ArtifactHint[] = []) => llm.routeSync({ message, tools, artifacts });
const names = (message: string, artifacts: ArtifactHint[] = []) => route(message, artifacts).intents.map((i) => i.tool);

describe('offline router: several intents in one message', () => {
  it('returns every intent above the threshold in the order the user wrote them', () => {
    expect(names('parse this export, chart its dependencies and write the Airflow files', [jil])).toEqual(['jil.parse', 'jil.analyze', 'jil.to_airflow']);
    expect(names('write the Airflow files and chart the dependencies', [jil])).toEqual(['jil.to_airflow', 'jil.analyze']);
    const d = route('profile the file and give me the Snowflake table too', [csv]);
    expect(d.intents.map((i) => i.tool)).toEqual(['csv.profile', 'csv.schema_ddl']);
    expect(d.intents[1]!.params).toMatchObject({ dialect: 'snowflake' });
    expect(d.tool).toBe('csv.profile');
  });

  it('keeps a registered chain one intent when its own example phrase is the message', () => {
    expect(names('parse this JIL, then analyze it and convert it to Airflow', [jil])).toEqual(['jil.pipeline']);
    expect(names('profile this CSV and give me Postgres DDL and a quality report', [csv])).toEqual(['csv.pipeline']);
  });

  it.each([
    ['convert this jil to airflow', 'jil.to_airflow', jil],
    ['analyze the dependencies of this jil', 'jil.analyze', jil],
    ['give me postgres DDL for this csv', 'csv.schema_ddl', csv],
    ['read this jil and list the jobs', 'jil.parse', jil],
    ['check the quality of this csv', 'csv.quality', csv],
  ])('keeps a single request single: %s', (message, tool, hint) => {
    expect(names(message, [hint])).toEqual([tool]);
  });

  it('splits on commas, "and", "then", "also" and sentence ends, not inside numbers', () => {
    expect(splitClauses('profile it, then chart it. Also write DDL and check quality').map((c) => c.text)).toEqual([
      'profile it',
      'chart it',
      'write DDL',
      'check quality',
    ]);
    expect(splitClauses('sample 1,000 rows').map((c) => c.text)).toEqual(['sample 1,000 rows']);
  });
});

describe('offline router: typos', () => {
  it('corrects tool words and enum values within a small edit distance', () => {
    expect(names('prfile this csv', [csv])).toEqual(['csv.profile']);
    const d = route('snowflak ddl for this file', [csv]);
    expect(d.tool).toBe('csv.schema_ddl');
    expect(d.params.dialect).toBe('snowflake');
    expect(route('bigqurey table for this csv', [csv]).params.dialect).toBe('bigquery');
    expect(names('convrt this jil to airflw', [jil])).toEqual(['jil.to_airflow']);
    expect(names('anaylze the dependncies of this jil', [jil])).toEqual(['jil.analyze']);
    expect(route('prfile this csv', [csv]).reason).toContain('"prfile" as "profile"');
  });

  it('leaves quoted text, file names, short words and unknown far words alone', () => {
    const v = new TypoVocabulary(tools);
    expect(fixTypos('table "ordrs" from ordrs.csv', v).text).toBe('table "ordrs" from ordrs.csv');
    expect(fixTypos('the wether on mars', v).corrections).toEqual([]);
    expect(v.correct('snowflake')).toBeUndefined();
    expect(v.correct('prfile')).toBe('profile');
  });

  it('measures edits with transpositions and stops past the bound', () => {
    expect(editDistance('anaylze', 'analyze', 2)).toBe(1);
    expect(editDistance('snowflak', 'snowflake', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });
});

describe('offline router: free-text answers to a pending question', () => {
  const report: ToolSpec = {
    name: 'test.report',
    description: 'Writes a text report about a dataset. Needs a title and a format.',
    examples: ['write a report'],
    inputSchema: {
      type: 'object',
      properties: { title: { type: 'string', description: 'report title' }, format: { type: 'string', enum: ['markdown', 'text'] } },
      required: ['title', 'format'],
    },
  };
  const ask = (message: string) => llm.routeSync({ message, tools: [...tools, report], pendingWorkflow: 'test.report', pendingParams: ['title'] });

  it('takes an unquoted multi-word answer as the one string asked for', () => {
    expect(ask('Quarterly sales review for the board').params).toEqual({ title: 'Quarterly sales review for the board' });
    expect(ask('call it Revenue by region.').params).toEqual({ title: 'Revenue by region' });
    expect(ask('Quarterly sales review').tool).toBe('test.report');
  });

  it('does not take a new request as the answer', () => {
    expect(ask('convert this jil to airflow').tool).toBe('jil.to_airflow');
    expect(ask('write a report').params).toEqual({});
  });
});
