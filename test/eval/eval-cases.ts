import { expect } from 'vitest';
import type { EvalCase } from './eval-types.js';
import { NIGHTLY, MONTH_END, ORBITER, JILUTIL, EDGES, ORDERS, CUSTOMERS, NULLS, SEMICOLON, call, calls, ATT, PARSE_CONVERT, PARSE_ANALYZE, PROFILE_DDL, ddlFor, one } from './eval-helpers.js';
import { QUESTION_CASES } from './eval-question-cases.js';

/*
 * Plain-English requests as a new user would type them, each with the plan it must produce and the
 * outcome of its run on real queues and storage. The same cases run through the offline router and
 * through the Anthropic client (scripted tool calls on the fake Messages API).
 */

export { NEVER_IN_REPLIES } from './eval-helpers.js';

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
  one('convert only one box to airflow', 'raw file', {
    say: 'convert only FIN_REPORTING_BOX to airflow',
    attach: [MONTH_END],
    expect: { outcome: 'succeeded', workflows: PARSE_CONVERT, reply: [/jil\.to_airflow: 1 DAG file /] },
    anthropic: call('jil_to_airflow', { parsedArtifactId: ATT, only: ['FIN_REPORTING_BOX'] }),
  }),
  one('convert only a box the file does not have: failed, saying which', 'raw file', {
    say: 'convert only NOPE_BOX to airflow',
    attach: [MONTH_END],
    expect: { outcome: 'failed', workflows: PARSE_CONVERT, reply: [/not a job or box of this file: NOPE_BOX/] },
    anthropic: call('jil_to_airflow', { parsedArtifactId: ATT, only: ['NOPE_BOX'] }),
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
      {
        say: 'profile this CSV',
        attach: [ORDERS],
        // the profile itself in words, not just counts and an artifact id
        expect: { outcome: 'succeeded', workflows: ['csv.profile'], reply: [/^This file has 120 rows and \d+ columns: order_id \(integer\)/] },
        anthropic: call('csv_profile', { source: ATT }),
      },
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
  one('two CSVs attached to one message: each is profiled, and the reply says which is which', 'two files', {
    say: 'profile these CSVs',
    attach: [CUSTOMERS, ORDERS],
    expect: { outcome: 'succeeded', workflows: ['csv.profile', 'csv.profile'], reply: [/^\*\*customers\*\*: This file has 40 rows/, /\*\*orders\*\*: This file has 120 rows/, /- csv\.profile \(customers\): /, /- csv\.profile \(orders\): /] },
    anthropic: call('csv_profile', { source: ATT }),
  }),
  one('DDL for both attached CSVs: one CREATE TABLE per file', 'two files', {
    say: 'give me snowflake DDL for both files',
    attach: [CUSTOMERS, ORDERS],
    expect: { outcome: 'succeeded', reply: [/snowflake CREATE TABLE for customers/, /snowflake CREATE TABLE for orders/] },
    anthropic: call('csv_schema_ddl', { profileArtifactId: ATT, dialect: 'snowflake' }),
  }),
  one('two JIL exports attached: both converted', 'two files', {
    say: 'convert both to airflow',
    attach: [NIGHTLY, MONTH_END],
    expect: { outcome: 'succeeded', reply: [/^Done: \*\*jil\.to_airflow ×2\*\*/, /- jil\.parse \(nightly_etl\): 15 jobs/, /- jil\.parse \(month_end_finance\): /, /- jil\.to_airflow \(nightly_etl\): /, /- jil\.to_airflow \(month_end_finance\): /] },
    anthropic: call('jil_to_airflow', { parsedArtifactId: ATT }),
  }),
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

  ...QUESTION_CASES,
  // ---- a file of a kind the step cannot use: a clear answer, nothing run ----
  one('Airflow from a CSV', 'kind mismatch', {
    say: 'convert this jil to airflow',
    attach: [ORDERS],
    expect: { outcome: 'asked', workflows: [], reply: [/JIL/] },
    anthropic: call('jil_to_airflow', { parsedArtifactId: ATT }),
  }),
];
