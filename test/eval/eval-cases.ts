import { expect } from 'vitest';
import type { EvalCase, ScriptedReply, Turn, TurnContext } from './eval-types.js';

/*
 * Plain-English requests as a new user would type them, each with the plan it must produce and the
 * outcome of its run on real queues and storage. The same cases run through the offline router and
 * through the Anthropic client (scripted tool calls on the fake Messages API).
 */

const NIGHTLY = 'examples/jil/nightly-etl.jil';
const MONTH_END = 'examples/jil/month-end-finance.jil';
const ORBITER = 'test/fixtures/jil/public/orbiter-demo.jil';
const JILUTIL = 'test/fixtures/jil/public/jilutil-sample.jil';
const EDGES = 'test/fixtures/jil/graph-edge-cases.jil';
const ORDERS = 'examples/csv/orders.csv';
const CUSTOMERS = 'examples/csv/customers.csv';
const NULLS = 'test/fixtures/csv/nulls.csv';
const SEMICOLON = 'test/fixtures/csv/semicolon-european.csv';
const DIRTY = 'test/fixtures/csv/dirty-orders.csv';

const call = (tool: string, input: Record<string, unknown> = {}): ScriptedReply => ({ calls: [{ tool, input }] });
const calls = (...list: [string, Record<string, unknown>][]): ScriptedReply => ({ calls: list.map(([tool, input]) => ({ tool, input })) });
/** The artifact attached to the message (the model sees it first in the list). */
const ATT = '$attached';

const PARSE_CONVERT = ['jil.parse', 'jil.to_airflow'];
const PARSE_ANALYZE = ['jil.parse', 'jil.analyze'];
const PROFILE_DDL = ['csv.profile', 'csv.schema_ddl'];

/** No internals in any reply: Redis keys, run/job ids, error class names, an "I don't know" opener. */
export const NEVER_IN_REPLIES = [/run-sess_/, /\{t[0-9a-f]{8}\}/, /:nodes:|:flows:/, /\w+Error:/, /^I don't know/i];

/** The DDL this turn made names the table `table` (not `data`) in `dialect`. */
function ddlFor(table: string, dialect: RegExp) {
  return async (t: TurnContext) => {
    const ddl = await t.textsOf('csv.schema_ddl');
    expect(ddl).toHaveLength(1);
    expect(ddl[0]).toMatch(/CREATE TABLE/i);
    expect(ddl[0]!.toLowerCase()).toContain(table);
    expect(ddl[0]).not.toMatch(/CREATE TABLE[^(\n]*\bdata\b/i);
    expect(t.result.reply).toMatch(dialect);
  };
}

const one = (name: string, category: EvalCase['category'], turn: Turn): EvalCase => ({ name, category, turns: [turn] });

export const CASES: EvalCase[] = [
  // ---- the README's phrases, exactly as written, with the file attached ----
  one('readme: convert this jil to airflow', 'readme', {
    say: 'convert this jil to airflow',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: PARSE_CONVERT, reply: [/jil\.to_airflow: \d+ DAG files? /] },
    anthropic: call('jil_to_airflow', { parsedArtifactId: ATT }),
  }),
  one('readme: give me postgres DDL for this csv', 'readme', {
    say: 'give me postgres DDL for this csv',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: PROFILE_DDL, check: ddlFor('orders', /postgres CREATE TABLE for orders/) },
    anthropic: call('csv_schema_ddl', { profileArtifactId: ATT, dialect: 'postgres' }),
  }),
  one('readme: analyze the dependencies of this jil', 'readme', {
    say: 'analyze the dependencies of this jil',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: PARSE_ANALYZE, reply: [/root jobs?, \d+ cycles?/] },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('readme quick start: parse, then analyze and convert (the chain)', 'readme', {
    say: 'parse this JIL, then analyze it and convert it to Airflow',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: ['jil.parse', 'jil.analyze', 'jil.to_airflow'], reply: [/^Done: \*\*jil\.pipeline\*\*/] },
    anthropic: call('jil_pipeline', { jil: ATT }),
  }),
  one('readme CLI: profile, Postgres DDL and a quality report (the chain)', 'readme', {
    say: 'profile this CSV and give me Postgres DDL and a quality report',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile', 'csv.schema_ddl', 'csv.quality'], check: ddlFor('orders', /postgres CREATE TABLE for orders/) },
    anthropic: call('csv_pipeline', { source: ATT, dialect: 'postgres' }),
  }),

  // ---- one request, a raw file attached ----
  one('parse a JIL export', 'raw file', {
    say: 'parse this JIL file',
    attach: [MONTH_END],
    expect: { outcome: 'succeeded', workflows: ['jil.parse'], reply: [/jil\.parse: \d+ jobs? \(\d+ box(es)?\)/] },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  one('list the jobs of a public sample', 'raw file', {
    say: 'what jobs are in this autosys file',
    attach: [JILUTIL],
    expect: { outcome: 'succeeded', workflows: ['jil.parse'] },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  one('Airflow files from a public sample', 'raw file', {
    say: 'make airflow DAG files',
    attach: [ORBITER],
    expect: { outcome: 'succeeded', workflows: PARSE_CONVERT, reply: [/1 DAG file \(/] },
    anthropic: call('jil_to_airflow', { parsedArtifactId: ATT }),
  }),
  one('cycles in a graph', 'raw file', {
    say: 'find cycles in the autosys jobs',
    attach: [EDGES],
    expect: { outcome: 'succeeded', workflows: PARSE_ANALYZE },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('critical path', 'raw file', {
    say: 'what is the critical path',
    attach: [MONTH_END],
    expect: { outcome: 'succeeded', workflows: PARSE_ANALYZE, reply: [/critical path of \d+ jobs?/] },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('profile a CSV', 'raw file', {
    say: 'profile this CSV',
    attach: [CUSTOMERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile'], reply: [/\d+ rows × \d+ columns/] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  one('schema of a semicolon file', 'raw file', {
    say: 'infer the schema of this data file',
    attach: [SEMICOLON],
    expect: { outcome: 'succeeded', workflows: ['csv.profile'], reply: [/delimiter ";"/] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  one('quality of a CSV', 'raw file', {
    say: 'check the quality of this csv',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: ['csv.quality'], reply: [/csv\.quality: (passed|FAILED): \d+ of \d+ rules? passed/] },
    anthropic: call('csv_quality', { source: ATT }),
  }),
  one('nulls and duplicates', 'raw file', {
    say: 'are there nulls or duplicates in this csv',
    attach: [NULLS],
    expect: { outcome: 'succeeded', workflows: ['csv.quality'] },
    anthropic: call('csv_quality', { source: ATT }),
  }),
  one('Snowflake DDL names the table after the file', 'raw file', {
    say: 'snowflake schema for this file',
    attach: [CUSTOMERS],
    expect: { outcome: 'succeeded', workflows: PROFILE_DDL, check: ddlFor('customers', /snowflake CREATE TABLE for customers/) },
    anthropic: call('csv_schema_ddl', { profileArtifactId: ATT, dialect: 'snowflake' }),
  }),
  one('BigQuery table definition', 'raw file', {
    say: 'bigquery table definition for this csv',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: PROFILE_DDL, check: ddlFor('orders', /bigquery CREATE TABLE for orders/) },
    anthropic: call('csv_schema_ddl', { profileArtifactId: ATT, dialect: 'bigquery' }),
  }),

  // ---- several requests in one message: one flow, shared prerequisites once ----
  one('parse, chart and convert', 'compound', {
    say: 'parse this export, chart its dependencies and write the Airflow files',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: ['jil.parse', 'jil.analyze', 'jil.to_airflow'], reply: [/jil\.analyze: /, /jil\.to_airflow: /] },
    anthropic: calls(['jil_parse', { jil: ATT }], ['jil_analyze', { parsedArtifactId: ATT }], ['jil_to_airflow', { parsedArtifactId: ATT }]),
  }),
  one('profile and the Snowflake table too', 'compound', {
    say: 'profile the file and give me the Snowflake table too',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: PROFILE_DDL, check: ddlFor('orders', /snowflake CREATE TABLE for orders/) },
    anthropic: calls(['csv_profile', { source: ATT }], ['csv_schema_ddl', { profileArtifactId: ATT, dialect: 'snowflake' }]),
  }),
  one('convert and analyze (parse once)', 'compound', {
    say: 'convert this jil to airflow and analyze its dependencies',
    attach: [MONTH_END],
    expect: { outcome: 'succeeded', workflows: ['jil.parse', 'jil.to_airflow', 'jil.analyze'] },
    anthropic: calls(['jil_to_airflow', { parsedArtifactId: ATT }], ['jil_analyze', { parsedArtifactId: ATT }]),
  }),
  one('quality then BigQuery DDL', 'compound', {
    say: 'check the quality of this csv and give me bigquery DDL',
    attach: [CUSTOMERS],
    expect: { outcome: 'succeeded', workflows: ['csv.quality', 'csv.profile', 'csv.schema_ddl'], check: ddlFor('customers', /bigquery CREATE TABLE for customers/) },
    anthropic: calls(['csv_quality', { source: ATT }], ['csv_schema_ddl', { profileArtifactId: ATT, dialect: 'bigquery' }]),
  }),
  one('profile, then check quality', 'compound', {
    say: 'profile this csv, then check its quality',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile', 'csv.quality'] },
    anthropic: calls(['csv_profile', { source: ATT }], ['csv_quality', { source: ATT }]),
  }),

  // ---- follow-ups in the same session ----
  {
    name: 'profile, then DDL for it (the profile is reused)',
    category: 'follow-up',
    turns: [
      { say: 'profile this CSV', attach: [ORDERS], expect: { outcome: 'succeeded', workflows: ['csv.profile'] }, anthropic: call('csv_profile', { source: ATT }) },
      {
        say: 'now give me snowflake DDL for it',
        expect: { outcome: 'succeeded', workflows: ['csv.schema_ddl'], check: ddlFor('orders', /snowflake CREATE TABLE for orders/) },
        anthropic: call('csv_schema_ddl', { profileArtifactId: '$kind:csv.profile', dialect: 'snowflake' }),
      },
      { say: 'now check its quality', expect: { outcome: 'succeeded', workflows: ['csv.quality'] }, anthropic: call('csv_quality', { source: '$kind:csv' }) },
    ],
  },
  {
    name: 'parse, then convert it',
    category: 'follow-up',
    turns: [
      { say: 'parse this JIL file', attach: [NIGHTLY], expect: { outcome: 'succeeded', workflows: ['jil.parse'] }, anthropic: call('jil_parse', { jil: ATT }) },
      { say: 'convert it to airflow', expect: { outcome: 'succeeded', workflows: ['jil.to_airflow'] }, anthropic: call('jil_to_airflow', { parsedArtifactId: '$kind:jil.parsed' }) },
    ],
  },
  {
    name: 'convert, then analyze that file (the parse is reused)',
    category: 'follow-up',
    turns: [
      { say: 'convert this jil to airflow', attach: [MONTH_END], expect: { outcome: 'succeeded', workflows: PARSE_CONVERT }, anthropic: call('jil_to_airflow', { parsedArtifactId: ATT }) },
      { say: 'now analyze the dependencies of that file', expect: { outcome: 'succeeded', workflows: ['jil.analyze'] }, anthropic: call('jil_analyze', { parsedArtifactId: '$kind:jil.parsed' }) },
    ],
  },
  {
    name: 'asks for the dialect, then runs with the answer',
    category: 'follow-up',
    turns: [
      {
        say: 'generate a create table statement for this csv',
        attach: [ORDERS],
        expect: { outcome: 'asked', reply: [/Which SQL dialect: postgres, snowflake, bigquery or redshift\?/] },
        anthropic: call('csv_schema_ddl', { profileArtifactId: ATT }),
      },
      { say: 'snowflake', expect: { outcome: 'succeeded', workflows: PROFILE_DDL, check: ddlFor('orders', /snowflake/) }, anthropic: call('csv_schema_ddl', { dialect: 'snowflake' }) },
    ],
  },
  {
    name: 'asks which CSV, then takes the attachment',
    category: 'follow-up',
    turns: [
      { say: 'profile a csv for me', expect: { outcome: 'asked', reply: [/Which CSV should I use\?/] }, anthropic: call('csv_profile', {}) },
      { say: 'here it is', attach: [CUSTOMERS], expect: { outcome: 'succeeded', workflows: ['csv.profile'] }, anthropic: { text: 'Thanks.' } },
    ],
  },

  // ---- two files in one session: the current attachment wins, "that jil" finds the JIL ----
  {
    name: 'a second CSV wins over the first',
    category: 'two files',
    turns: [
      { say: 'profile this CSV', attach: [ORDERS], expect: { outcome: 'succeeded', workflows: ['csv.profile'] }, anthropic: call('csv_profile', { source: ATT }) },
      {
        say: 'give me postgres DDL for this csv',
        attach: [CUSTOMERS],
        expect: { outcome: 'succeeded', workflows: PROFILE_DDL, check: ddlFor('customers', /postgres CREATE TABLE for customers/) },
        anthropic: call('csv_schema_ddl', { profileArtifactId: ATT, dialect: 'postgres' }),
      },
    ],
  },
  {
    name: 'a JIL and a CSV: "that jil" is the JIL',
    category: 'two files',
    turns: [
      { say: 'parse this JIL file', attach: [NIGHTLY], expect: { outcome: 'succeeded', workflows: ['jil.parse'] }, anthropic: call('jil_parse', { jil: ATT }) },
      { say: 'profile this CSV', attach: [ORDERS], expect: { outcome: 'succeeded', workflows: ['csv.profile'] }, anthropic: call('csv_profile', { source: ATT }) },
      { say: 'convert that jil to airflow', expect: { outcome: 'succeeded', workflows: ['jil.to_airflow'] }, anthropic: call('jil_to_airflow', { parsedArtifactId: '$kind:jil.parsed' }) },
    ],
  },
  {
    name: 'two CSVs: each DDL is named after its own file',
    category: 'two files',
    turns: [
      {
        say: 'give me postgres DDL for this csv',
        attach: [ORDERS],
        expect: { outcome: 'succeeded', workflows: PROFILE_DDL, check: ddlFor('orders', /for orders/) },
        anthropic: call('csv_schema_ddl', { profileArtifactId: ATT, dialect: 'postgres' }),
      },
      {
        say: 'and check the quality of this one',
        attach: [CUSTOMERS],
        expect: { outcome: 'succeeded', workflows: ['csv.quality'], check: async (t) => expect(t.result.reply).toMatch(/csv\.quality/) },
        anthropic: call('csv_quality', { source: ATT }),
      },
    ],
  },

  // ---- typos ----
  one('prfile', 'typo', {
    say: 'prfile this csv',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile'] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  one('snowflak', 'typo', {
    say: 'snowflak ddl for this file',
    attach: [CUSTOMERS],
    expect: { outcome: 'succeeded', workflows: PROFILE_DDL, check: ddlFor('customers', /snowflake CREATE TABLE for customers/) },
    anthropic: call('csv_schema_ddl', { profileArtifactId: ATT, dialect: 'snowflake' }),
  }),
  one('convrt … airflw', 'typo', {
    say: 'convrt this jil to airflw',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: PARSE_CONVERT },
    anthropic: call('jil_to_airflow', { parsedArtifactId: ATT }),
  }),
  one('anaylze the dependncies', 'typo', {
    say: 'anaylze the dependncies of this jil',
    attach: [MONTH_END],
    expect: { outcome: 'succeeded', workflows: PARSE_ANALYZE },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('chekc the qualty', 'typo', {
    say: 'chekc the qualty of this csv',
    attach: [NULLS],
    expect: { outcome: 'succeeded', workflows: ['csv.quality'] },
    anthropic: call('csv_quality', { source: ATT }),
  }),
  one('postgers', 'typo', {
    say: 'give me postgers DDL for this csv',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: PROFILE_DDL, check: ddlFor('orders', /postgres CREATE TABLE/) },
    anthropic: call('csv_schema_ddl', { profileArtifactId: ATT, dialect: 'postgres' }),
  }),

  // ---- capability questions: the list, no "I don't know" ----
  ...['what can you do', 'help', 'which formats do you read', 'What workflows do you have?'].map((say) =>
    one(`capability: ${say}`, 'capability', {
      say,
      expect: { outcome: 'answered', workflows: [], reply: [/^Here is what I can do:/, /\*\*jil\.to_airflow\*\*/, /\*\*csv\.schema_ddl\*\*/], notReply: [/don't know/i] },
      anthropic: 'no-call',
    }),
  ),
  one('capability: formats name JIL and CSV', 'capability', {
    say: 'what file formats do you support?',
    expect: { outcome: 'answered', workflows: [], reply: [/I read .*JIL exports/, /I read .*CSV/] },
    anthropic: 'no-call',
  }),

  // ---- out of scope: a short honest answer plus the list ----
  ...['what is the weather like on mars tomorrow', 'book me a flight to Lisbon', 'write me a poem about the sea', 'delete all my emails'].map((say) =>
    one(`out of scope: ${say}`, 'out of scope', {
      say,
      expect: { outcome: 'answered', workflows: [], reply: [/^That is outside what I can do/, /\*\*csv\.profile\*\*/], notReply: [/don't know/i] },
      anthropic: { text: 'None of my tools can do that.' },
    }),
  ),

  // ---- questions in the user's own words: routed to what they mean, answered when the run holds it ----
  one('which jobs have no upstream (answered from the analysis)', 'plain question', {
    say: 'which jobs have no upstream',
    attach: [NIGHTLY],
    expect: {
      outcome: 'succeeded',
      workflows: PARSE_ANALYZE,
      reply: [/^Jobs with no upstream \(5, /, /SALES_NIGHTLY_BOX, SALES_LAND_BOX, SALES_WAIT_EU_FEED, SALES_WAIT_US_FEED, SALES_WAIT_APAC_FEED\./, /jil\.analyze: 5 root jobs/],
    },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('what breaks if a job fails (answered from the analysis)', 'plain question', {
    say: 'what breaks if SALES_VALIDATE fails',
    attach: [NIGHTLY],
    expect: {
      outcome: 'succeeded',
      workflows: PARSE_ANALYZE,
      reply: [/^If SALES_VALIDATE fails, 7 jobs waiting on it/, /SALES_STAGE_LOAD, SALES_LOAD_BOX, SALES_PUBLISH, SALES_CLEANUP/, /Its failure starts SALES_REJECTS_REPORT/],
      notReply: [/SALES_WAIT_EU_FEED/],
    },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('what runs after a job (its waiters from the analysis; "CMD_JOB" in the name is not a request)', 'plain question', {
    say: 'what jobs run after SAMPLE_CMD_JOB_1',
    attach: [JILUTIL],
    expect: { outcome: 'succeeded', workflows: PARSE_ANALYZE, reply: [/^Waiting on SAMPLE_CMD_JOB_1: SAMPLE_CMD_JOB_2 \(for its success\)\./] },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('what does a job depend on (its conditions, then theirs, and its box)', 'plain question', {
    say: 'what does SALES_PUBLISH depend on?',
    attach: [NIGHTLY],
    expect: {
      outcome: 'succeeded',
      workflows: PARSE_ANALYZE,
      reply: [/^SALES_PUBLISH waits on SALES_LOAD_BOX \(its success\)\. Through that, also on SALES_STAGE_LOAD, SALES_VALIDATE\. Its condition also tests the global variable SALES_PUBLISH_ENABLED\. It is in box SALES_NIGHTLY_BOX/],
    },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('is anything wrong with this file (a JIL): the parse and the graph say', 'plain question', {
    say: 'is anything wrong with this file?',
    attach: [EDGES],
    expect: {
      outcome: 'succeeded',
      workflows: PARSE_ANALYZE,
      reply: [/In the dependency graph: 2 cycles \(jobs that wait on themselves\): .*G_SELF → G_SELF; conditions on 1 job this file does not define: G_MISSING_JOB \(used by G_LEAF_A3\)\./, /^Parsing found /m],
    },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('is anything wrong with this file (a CSV): its quality is checked', 'plain question', {
    say: 'is anything wrong with this file',
    attach: [NULLS],
    expect: { outcome: 'succeeded', workflows: ['csv.quality'], reply: [/csv\.quality: (passed|FAILED): \d+ of \d+ rules? passed/] },
    anthropic: call('csv_quality', { source: ATT }),
  }),
  one('is this data clean (a CSV with problems): the problems of the file itself, in words', 'plain question', {
    say: 'is this data clean? anything I should fix before loading it',
    attach: [DIRTY],
    expect: {
      outcome: 'succeeded',
      workflows: ['csv.quality'],
      reply: [/^4 of 15 checks found problems over 60 rows:\n- /, /customer_email is empty in 3 rows/, /order_id repeats in 1 row \(e\.g\. "1039" at line 41\)/, /order_date has 2 values that are not valid dates/, /status has 2 values outside cancelled, pending, shipped/, /csv\.quality: FAILED: 11 of 15 rules passed/],
    },
    anthropic: call('csv_quality', { source: ATT }),
  }),
  one('which column could be the primary key (answered from the profile)', 'plain question', {
    say: 'which column could be the primary key?',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile'], reply: [/^order_id is unique and never empty over the 120 rows: a candidate key\./] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  one("what's the biggest amount (a column's range from the profile)", 'plain question', {
    say: "what's the biggest amount?",
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile'], reply: [/^amount goes from 6\.56 to 899\.89, mean 434\.41 over 120 values\./] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  one('when does a job run (its box, the box schedule, its condition; the question alone picks jil.parse)', 'plain question', {
    say: 'when does SAMPLE_CMD_JOB_2 run?',
    attach: [JILUTIL],
    expect: {
      outcome: 'succeeded',
      workflows: ['jil.parse'],
      reply: [/^SAMPLE_CMD_JOB_2 has no schedule of its own: it starts when its box SAMPLE_BOX_JOB runs \(SAMPLE_BOX_JOB runs at 20:00 every day\), once its condition s\(SAMPLE_CMD_JOB_1\) is met\./],
    },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  one('what runs at a time of day', 'plain question', {
    say: 'what runs at 20:00?',
    attach: [JILUTIL],
    expect: { outcome: 'succeeded', workflows: ['jil.parse'], reply: [/^Starting at 20:00: SAMPLE_BOX_JOB\./] },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  one('which box a job belongs to', 'plain question', {
    say: 'which box does SALES_VALIDATE belong to?',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: PARSE_ANALYZE, reply: [/^SALES_VALIDATE is in box SALES_STAGE_BOX \(inside SALES_NIGHTLY_BOX\)\./] },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('which jobs are in a box (the analysis answers; the file overview stays out)', 'plain question', {
    say: 'which jobs are in SAMPLE_BOX_JOB?',
    attach: [JILUTIL],
    expect: { outcome: 'succeeded', workflows: PARSE_ANALYZE, reply: [/^Box SAMPLE_BOX_JOB holds 2: SAMPLE_CMD_JOB_1, SAMPLE_CMD_JOB_2\./], notReply: [/This file defines/] },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('the longest chain of jobs', 'plain question', {
    say: "what's the longest chain of jobs?",
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: PARSE_ANALYZE, reply: [/^The longest chain of jobs \(the critical path\) has 6 jobs: SALES_LAND_BOX → SALES_VALIDATE → /] },
    anthropic: call('jil_analyze', { parsedArtifactId: ATT }),
  }),
  one('any errors in this file (a JIL): the parse, not the CSV profile', 'plain question', {
    say: 'any errors in this file?',
    attach: [JILUTIL],
    expect: { outcome: 'succeeded', workflows: ['jil.parse'], reply: [/^Parsing found no errors and no warnings/] },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  one('what columns does this have', 'plain question', {
    say: 'what columns does this have',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile'], reply: [/\d+ rows × \d+ columns/] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  one('summarize this dataset', 'plain question', {
    say: 'summarize this dataset',
    attach: [CUSTOMERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile'], reply: [/\d+ rows × \d+ columns/] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  one("what's in this file (a JIL): parsed, the reply describes it", 'plain question', {
    say: "what's in this file?",
    attach: [JILUTIL],
    expect: { outcome: 'succeeded', workflows: ['jil.parse'], reply: [/^This file defines 3 jobs \(2 CMD, 1 BOX\)\. Boxes: SAMPLE_BOX_JOB \(SAMPLE_CMD_JOB_1, SAMPLE_CMD_JOB_2\)\./] },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  one('describe this (a CSV): profiled, the reply lists the columns', 'plain question', {
    say: 'describe this',
    attach: [ORDERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile'], reply: [/^This file has 120 rows and 9 columns: order_id \(integer\), /] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  one('which columns have nulls (a CSV): profiled, the reply names them with their counts', 'plain question', {
    say: 'which columns have nulls?',
    attach: [NULLS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile'], reply: [/^\d+ columns? of \d+ ha(?:s|ve) nulls: \w+ \d+ \(\d+(?:\.\d)?%\)/] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  {
    name: 'what did you do so far: the session history, nothing run',
    category: 'follow-up',
    turns: [
      { say: 'parse this JIL file', attach: [NIGHTLY], expect: { outcome: 'succeeded', workflows: ['jil.parse'] }, anthropic: call('jil_parse', { jil: ATT }) },
      {
        say: 'what did you do so far?',
        expect: { outcome: 'answered', workflows: [], reply: [/^What this session has run so far \(1 run, oldest first\):\n- "parse this JIL file" → \*\*jil\.parse\*\*: succeeded, 1 artifact$/m, /Files uploaded: nightly-etl\.jil \(art_/] },
        anthropic: 'no-call',
      },
    ],
  },
  one('parse it and convert it: two steps, not the whole chain', 'plain question', {
    say: 'parse it and convert it',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: PARSE_CONVERT, reply: [/jil\.parse: /, /jil\.to_airflow: \d+ DAG files? /], notReply: [/jil\.pipeline/, /jil\.analyze/] },
    anthropic: calls(['jil_parse', { jil: ATT }], ['jil_to_airflow', { parsedArtifactId: ATT }]),
  }),
  one('DDL in postgres and bigquery: two DDL steps, one profile', 'plain question', {
    say: 'DDL in postgres and bigquery',
    attach: [ORDERS],
    expect: {
      outcome: 'succeeded',
      workflows: ['csv.profile', 'csv.schema_ddl', 'csv.schema_ddl'],
      reply: [/postgres CREATE TABLE for orders/, /bigquery CREATE TABLE for orders/],
      check: async (t) => {
        const ddl = await t.textsOf('csv.schema_ddl');
        expect(ddl).toHaveLength(2);
        expect(ddl.find((x) => x.startsWith('-- postgres DDL'))).toMatch(/\bBIGINT\b/);
        expect(ddl.find((x) => x.startsWith('-- bigquery DDL'))).toMatch(/\bINT64\b/);
        expect(await t.textsOf('csv.profile')).toHaveLength(1);
      },
    },
    anthropic: calls(['csv_schema_ddl', { profileArtifactId: ATT, dialect: 'postgres' }], ['csv_schema_ddl', { profileArtifactId: ATT, dialect: 'bigquery' }]),
  }),
  one('redshift DDL', 'plain question', {
    say: 'give me redshift DDL for this csv',
    attach: [ORDERS],
    expect: {
      outcome: 'succeeded',
      workflows: PROFILE_DDL,
      check: async (t) => {
        await ddlFor('orders', /redshift CREATE TABLE for orders/)(t);
        const [ddl] = await t.textsOf('csv.schema_ddl');
        expect(ddl).toMatch(/^-- redshift DDL/);
        expect(ddl).toMatch(/VARCHAR\(65535\)/);
        expect(ddl).not.toMatch(/\bTEXT\b|\bSTRING\b|NUMBER\(/);
      },
    },
    anthropic: call('csv_schema_ddl', { profileArtifactId: ATT, dialect: 'redshift' }),
  }),

  // ---- a file of a kind the step cannot use: a clear answer, nothing run ----
  one('Airflow from a CSV', 'kind mismatch', {
    say: 'convert this jil to airflow',
    attach: [ORDERS],
    expect: { outcome: 'asked', workflows: [], reply: [/JIL/] },
    anthropic: call('jil_to_airflow', { parsedArtifactId: ATT }),
  }),
];
