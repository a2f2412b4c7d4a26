import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import type { ArtifactHint, RouteRequest, ToolSpec } from '../../src/llm/llm.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';

const art = (description: string, ask: string) => ({ type: 'string', 'x-artifact': true, description, 'x-ask': ask });

/** Realistic data-engineering tools, as the workflow registry would describe them. */
const TOOLS: ToolSpec[] = [
  {
    name: 'jil.parse',
    description: 'Parse an Autosys JIL file into a structured job graph: jobs, boxes, conditions and calendars.',
    examples: ['parse this jil file', 'what jobs are in this autosys definition', 'show me the dependencies in my JIL'],
    inputSchema: {
      type: 'object',
      properties: { jilArtifactId: art('The JIL file artifact to parse', 'Which JIL file should I parse?') },
      required: ['jilArtifactId'],
    },
  },
  {
    name: 'jil.to_airflow',
    description: 'Convert Autosys JIL job definitions into Apache Airflow DAG Python code.',
    examples: ['convert this jil to an airflow dag', 'migrate my autosys jobs to airflow', 'generate airflow dags from jil'],
    inputSchema: {
      type: 'object',
      properties: {
        jilArtifactId: art('The JIL file artifact to convert', 'Which JIL file should I convert?'),
        dagId: { type: 'string', description: 'Airflow DAG id for the generated DAG' },
        outputPath: { type: 'string', description: 'Where to write the generated DAG file' },
        dryRun: { type: 'boolean', description: 'Only report what would be generated' },
      },
      required: ['jilArtifactId'],
    },
  },
  {
    name: 'csv.profile',
    description: 'Profile a CSV file: column types, null counts, distinct values, min/max and sample rows.',
    examples: ['profile this csv', 'what columns are in this file', 'summarise the data in this csv'],
    inputSchema: {
      type: 'object',
      properties: {
        csvArtifactId: art('The CSV artifact to profile', 'Which CSV file?'),
        sampleRows: { type: 'integer', description: 'How many sample rows to include' },
        delimiter: { type: 'string', description: 'Field delimiter' },
      },
      required: ['csvArtifactId'],
    },
  },
  {
    name: 'ddl.generate',
    description: 'Generate SQL CREATE TABLE DDL for a target database from a CSV file or a schema.',
    examples: ['generate ddl for postgres', 'create table statement for this csv in snowflake', 'write the create table sql'],
    inputSchema: {
      type: 'object',
      properties: {
        sourceArtifactId: art('CSV or schema artifact to derive the table from', 'Which CSV or schema?'),
        dialect: { type: 'string', enum: ['postgres', 'mysql', 'snowflake', 'bigquery', 'sqlserver'], description: 'Target SQL dialect' },
        tableName: { type: 'string', description: 'Name of the table to create', 'x-ask': 'What should the table be called?' },
      },
      required: ['sourceArtifactId', 'dialect', 'tableName'],
    },
  },
  {
    name: 'quality.check',
    description: 'Run data quality checks (nulls, uniqueness, ranges, referential integrity) on a dataset and report failures.',
    examples: ['check data quality of this table', 'are there duplicate ids in this csv', 'validate the orders data'],
    inputSchema: {
      type: 'object',
      properties: {
        datasetArtifactId: art('The dataset to check', 'Which dataset?'),
        rules: { type: 'array', items: { type: 'string' }, description: 'Rule names to run' },
        threshold: { type: 'number', description: 'Failure ratio that fails the run' },
        failOnError: { type: 'boolean', description: 'Fail the workflow when a check fails' },
      },
    },
  },
  {
    name: 'sql.translate',
    description: 'Translate a SQL query from one database dialect to another.',
    examples: ['translate this query from oracle to snowflake', 'rewrite this sql for bigquery'],
    inputSchema: {
      type: 'object',
      properties: {
        sourceDialect: { type: 'string', enum: ['postgres', 'mysql', 'oracle', 'snowflake', 'bigquery'] },
        targetDialect: { type: 'string', enum: ['postgres', 'mysql', 'oracle', 'snowflake', 'bigquery'] },
        query: { type: 'string', description: 'The SQL text' },
      },
      required: ['sourceDialect', 'targetDialect', 'query'],
    },
  },
];

const llm = new OfflineLlm();
const route = (message: string, extra: Partial<RouteRequest> = {}) => llm.route({ message, tools: TOOLS, ...extra });

describe('OfflineLlm.route: choosing a tool', () => {
  const cases: [string, string | null][] = [
    ['Parse this JIL file please', 'jil.parse'],
    ['what jobs are in this autosys box?', 'jil.parse'],
    ['convert my jil to an airflow dag', 'jil.to_airflow'],
    ['migrate the autosys jobs to Airflow', 'jil.to_airflow'],
    ['profile this csv', 'csv.profile'],
    ['what columns does this file have and how many nulls', 'csv.profile'],
    ['generate DDL for postgres', 'ddl.generate'],
    ['write a create table statement for snowflake', 'ddl.generate'],
    ['check the data quality of the orders dataset', 'quality.check'],
    ['are there duplicate ids in here?', 'quality.check'],
    ['translate this query from mysql to postgres', 'sql.translate'],
    ["what's the weather in Paris tomorrow?", null],
    ['hello there', null],
    ['', null],
    ['tell me a joke about cats', null],
  ];
  it.each(cases)('%s → %s', async (message, expected) => {
    const d = await route(message);
    expect(d.tool).toBe(expected);
    if (expected === null) expect(d.confidence).toBe(0);
    else expect(d.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('breaks ties by preferredWorkflows order, then by name', async () => {
    const twin = (name: string): ToolSpec => ({
      name,
      description: 'Export the weekly report to the warehouse.',
      examples: ['export the weekly report'],
      inputSchema: { type: 'object', properties: {} },
    });
    const tools = [twin('report.beta'), twin('report.alpha')];
    const byName = await llm.route({ message: 'export the weekly report', tools });
    expect(byName.tool).toBe('report.alpha');
    const preferred = await llm.route({ message: 'export the weekly report', tools, preferredWorkflows: ['report.beta'] });
    expect(preferred.tool).toBe('report.beta');
  });

  it('rejects a malformed request with a ValidationError', async () => {
    await expect(llm.route({ message: 42 } as unknown as RouteRequest)).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('OfflineLlm.route: parameters', () => {
  it('maps enum synonyms to the enum value (pg → postgres)', async () => {
    for (const word of ['pg', 'PostgreSQL', 'postgres', 'psql']) {
      const d = await route(`generate ddl for ${word}`);
      expect(d.params.dialect, word).toBe('postgres');
    }
    expect((await route('generate ddl for sql server')).params.dialect).toBe('sqlserver');
    expect((await route('generate ddl for BQ')).params.dialect).toBe('bigquery');
  });

  it('tells source and target enums apart by from/to', async () => {
    const d = await route('translate this query from mysql to pg');
    expect(d.params).toMatchObject({ sourceDialect: 'mysql', targetDialect: 'postgres' });
  });

  it('reads name: value, name is value, table X and called X', async () => {
    expect((await route('generate ddl for snowflake, table name: orders_2024')).params).toMatchObject({
      dialect: 'snowflake',
      tableName: 'orders_2024',
    });
    expect((await route('generate ddl, the table is customers')).params.tableName).toBe('customers');
    expect((await route('create a postgres table called orders from this csv')).params).toMatchObject({
      dialect: 'postgres',
      tableName: 'orders',
    });
    expect((await route('generate ddl for table "Order Lines"')).params.tableName).toBe('Order Lines');
    expect((await route('migrate my autosys jobs to airflow, dag id nightly_batch')).params.dagId).toBe('nightly_batch');
  });

  it('does not take a request word as a value', async () => {
    const d = await route('generate the create table ddl');
    expect(d.tool).toBe('ddl.generate');
    expect(d.params.tableName).toBeUndefined();
  });

  it('reads numbers next to the property name, with k suffixes', async () => {
    expect((await route('profile this csv with 500 sample rows')).params.sampleRows).toBe(500);
    expect((await route('profile this csv, sample rows: 2k')).params.sampleRows).toBe(2000);
    expect((await route('check data quality with threshold 0.05')).params.threshold).toBe(0.05);
    // An integer property refuses a fraction.
    expect((await route('profile this csv, sample rows 2.5')).params.sampleRows).toBeUndefined();
  });

  it('reads booleans, paths and lists', async () => {
    expect((await route('convert this jil to airflow as a dry run')).params.dryRun).toBe(true);
    expect((await route('convert this jil to airflow, no dry run')).params.dryRun).toBe(false);
    expect((await route('convert this jil to airflow, dry run: no')).params.dryRun).toBe(false);
    expect((await route('convert this jil to airflow and write it to ./dags/nightly.py')).params.outputPath).toBe('./dags/nightly.py');
    expect((await route('check data quality, rules: not_null, unique and range')).params.rules).toEqual(['not_null', 'unique', 'range']);
  });

  it('takes artifact ids from the message', async () => {
    const d = await route('parse art_7Hk2-x9 for me');
    expect(d).toMatchObject({ tool: 'jil.parse', params: { jilArtifactId: 'art_7Hk2-x9' } });
  });

  it('maps attached artifacts to artifact properties by content type and name', async () => {
    const artifacts: ArtifactHint[] = [
      { artifactId: 'art_jil1', name: 'nightly_box.jil', contentType: 'text/plain' },
      { artifactId: 'art_csv1', name: 'orders.csv', contentType: 'text/csv' },
    ];
    expect((await route('convert to airflow', { artifacts })).params.jilArtifactId).toBe('art_jil1');
    expect((await route('profile the csv', { artifacts })).params.csvArtifactId).toBe('art_csv1');
    expect((await route('generate ddl for mysql', { artifacts })).params.sourceArtifactId).toBe('art_csv1');
    // A JIL property is never filled with the only attachment when that attachment is a CSV.
    const onlyCsv = [artifacts[1]!];
    expect((await route('parse the jil', { artifacts: onlyCsv })).params.jilArtifactId).toBeUndefined();
    // A property that names no kind takes a single attachment; two leave it open (ambiguous).
    expect((await route('check data quality', { artifacts: onlyCsv })).params.datasetArtifactId).toBe('art_csv1');
    const twoCsv: ArtifactHint[] = [...onlyCsv, { artifactId: 'art_csv2', name: 'b.csv', contentType: 'text/csv' }];
    expect((await route('profile the csv', { artifacts: twoCsv })).params.csvArtifactId).toBeUndefined();
    // An id written in the message wins over attachments.
    expect((await route('profile art_csv2', { artifacts: twoCsv })).params.csvArtifactId).toBe('art_csv2');
  });
});

describe('OfflineLlm.route: answers to a pending question', () => {
  const pending = { pendingWorkflow: 'ddl.generate' };
  it.each([
    ['postgres', { dialect: 'postgres' }],
    ['pg', { dialect: 'postgres' }],
    ['the table is orders', { tableName: 'orders' }],
    ['table name: orders, dialect mysql', { tableName: 'orders', dialect: 'mysql' }],
    ['art_9f3k', { sourceArtifactId: 'art_9f3k' }],
  ])('%s → pending workflow with %o', async (message, params) => {
    const d = await route(message, pending);
    expect(d.tool).toBe('ddl.generate');
    expect(d.params).toMatchObject(params);
  });

  it('routes a short bare answer to the pending workflow', async () => {
    const d = await route('yes', pending);
    expect(d.tool).toBe('ddl.generate');
  });

  it('routes a bare value to the only plain string property', async () => {
    const d = await route('orders_v2', pending);
    expect(d).toMatchObject({ tool: 'ddl.generate', params: { tableName: 'orders_v2' } });
  });

  it('routes a bare value to the parameter the pending question asked for, typed', async () => {
    const jil = { pendingWorkflow: 'jil.to_airflow' };
    expect((await route('nightly_batch', jil)).params).toEqual({});
    expect(await route('nightly_batch', { ...jil, pendingParams: ['dagId'] })).toMatchObject({ tool: 'jil.to_airflow', params: { dagId: 'nightly_batch' } });
    const csv = { pendingWorkflow: 'csv.profile', pendingParams: ['sampleRows'] };
    expect((await route('250', csv)).params).toEqual({ sampleRows: 250 });
    expect((await route('lots', csv)).params).toEqual({});
    expect((await route('pg', { pendingWorkflow: 'ddl.generate', pendingParams: ['dialect'] })).params).toEqual({ dialect: 'postgres' });
  });

  it('treats a new request as a new request', async () => {
    const d = await route('actually, profile this csv file first and show me the null counts', pending);
    expect(d.tool).toBe('csv.profile');
    const q = await route('convert my autosys jil to an airflow dag instead', pending);
    expect(q.tool).toBe('jil.to_airflow');
  });

  it('ignores a pending workflow that is not among the tools', async () => {
    const d = await route('postgres', { pendingWorkflow: 'gone.workflow' });
    expect(d.tool).not.toBe('gone.workflow');
  });
});
