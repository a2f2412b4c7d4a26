import { expect } from 'vitest';
import type { EvalCase } from './eval-types.js';
import { NIGHTLY, MONTH_END, JILUTIL, EDGES, ORDERS, CUSTOMERS, NULLS, DIRTY, call, calls, ATT, PARSE_CONVERT, PARSE_ANALYZE, PROFILE_DDL, ddlFor, one } from './eval-helpers.js';

/** Questions in the user's own words: routed to what they mean, answered when the run holds it. */
export const QUESTION_CASES: EvalCase[] = [
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
      reply: [/^4 of 16 checks found problems over 60 rows:\n- /, /customer_email is empty in 3 rows/, /order_id repeats in 1 row \(e\.g\. "1039" at line 41\)/, /order_date has 2 values that are not valid dates/, /status has 2 values outside cancelled, pending, shipped/, /csv\.quality: FAILED: 12 of 16 rules passed/],
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
  one('what does a job do (one job in plain words)', 'plain question', {
    say: 'what does SALES_VALIDATE do?',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: ['jil.parse'], reply: [/^SALES_VALIDATE is a command job in box SALES_STAGE_BOX\. It runs `\/opt\/etl\/bin\/validate\.sh /] },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  one('a job named in lower case with a tool word in it ("validate") is still the job', 'plain question', {
    say: 'what does sales_validate do?',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: ['jil.parse'], reply: [/^SALES_VALIDATE is a command job in box SALES_STAGE_BOX\./] },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  {
    name: 'a follow-up naming only another job asks the same question about it',
    category: 'follow-up',
    turns: [
      {
        say: 'what does SALES_VALIDATE do?',
        attach: [NIGHTLY],
        expect: { outcome: 'succeeded', workflows: ['jil.parse'], reply: [/^SALES_VALIDATE is a command job/] },
        anthropic: call('jil_parse', { jil: ATT }),
      },
      { say: 'and SALES_STAGE_LOAD?', expect: { outcome: 'succeeded', reply: [/^SALES_STAGE_LOAD is a /], notReply: [/outside what I can do/] }, anthropic: call('jil_parse', { jil: '$kind:jil' }) },
      { say: 'what about SALES_PUBLISH', expect: { outcome: 'succeeded', reply: [/^SALES_PUBLISH is a /] }, anthropic: call('jil_parse', { jil: '$kind:jil' }) },
    ],
  },
  {
    name: 'two questions about a file parsed earlier: the analysis answers one, the earlier parse the other',
    category: 'follow-up',
    turns: [
      { say: 'parse this JIL file', attach: [MONTH_END], expect: { outcome: 'succeeded', workflows: ['jil.parse'] }, anthropic: call('jil_parse', { jil: ATT }) },
      {
        say: 'what runs after FIN_GL_POST and when does FIN_REPORT_PACK run?',
        expect: {
          outcome: 'succeeded',
          workflows: ['jil.analyze'],
          reply: [
            /^Waiting on FIN_GL_POST: FIN_BALANCE_REPORT \(for its success\)\. After that, in turn: FIN_REPORT_PACK\./,
            /^FIN_REPORT_PACK has no schedule of its own: it starts when its box FIN_REPORTING_BOX runs, .*FIN_GL_CLOSE_BOX runs at 18:00 on the days of calendar MONTH_END_WORKDAYS\.$/m,
          ],
        },
        anthropic: call('jil_analyze', { parsedArtifactId: '$kind:jil.parsed' }),
      },
      {
        say: 'what does FIN_REPORT_PACK depend on?',
        expect: { outcome: 'succeeded', reply: [/^FIN_REPORT_PACK starts once either FIN_PNL_REPORT and FIN_BALANCE_REPORT have both succeeded, or FIN_BALANCE_REPORT was terminated\./], notReply: [/waits on FIN_PNL_REPORT \(its success\), FIN_BALANCE_REPORT/] },
        anthropic: call('jil_analyze', { parsedArtifactId: '$kind:jil.parsed' }),
      },
    ],
  },
  one('what runs on a day of the week (answered from the parse)', 'plain question', {
    say: 'what runs on Fridays?',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: ['jil.parse'], reply: [/^On Friday: SALES_NIGHTLY_BOX runs at 01:30 on mo, tu, we, th, fr \(Europe\/London\)\. The 14 jobs inside SALES_NIGHTLY_BOX run with it\./] },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  one('a job the file does not have: said so, with the names spelt nearly the same', 'plain question', {
    say: 'what does SALES_VALIDAT do?',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: ['jil.parse'], reply: [/^There is no job SALES_VALIDAT in this file \(\d+ jobs in it\)\. Did you mean SALES_VALIDATE\?/] },
    anthropic: call('jil_parse', { jil: ATT }),
  }),
  one('what runs after a job the file does not have: said so, not another answer', 'plain question', {
    say: 'which jobs run after FIN_GL_LOAD?',
    attach: [NIGHTLY],
    expect: { outcome: 'succeeded', workflows: PARSE_ANALYZE, reply: [/^There is no job FIN_GL_LOAD in this file/], notReply: [/Waiting on/] },
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

];
