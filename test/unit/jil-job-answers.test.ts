import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeSchedule, isScheduleQuestion, scheduleOf } from '../../src/workflows/builtin/jil/lib/schedule-answers.js';
import { answerAnalysisQuestion, isAnalysisQuestion } from '../../src/workflows/builtin/jil/lib/analysis-answers.js';
import { analyzeJil } from '../../src/workflows/builtin/jil/lib/analyzer.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';
import { describeJob, isJobQuestion } from '../../src/workflows/builtin/jil/lib/job-answer.js';
import { namesAJob } from '../../src/workflows/builtin/jil/lib/named-job.js';
import { SMALL_JIL } from '../support/small-jil.js';

const read = (rel: string) => parseJil(readFileSync(new URL(rel, import.meta.url), 'utf8'));
const sample = read('../fixtures/jil/public/jilutil-sample.jil');
const nightly = read('../../examples/jil/nightly-etl.jil');
const monthEnd = read('../../examples/jil/month-end-finance.jil');

describe('when jobs run', () => {
  it('recognises the question', () => {
    for (const q of ['when does SAMPLE_CMD_JOB_2 run?', "what's the schedule of X", 'what runs at 20:00?', 'which calendar does it use']) expect(isScheduleQuestion(q), q).toBe(true);
    for (const q of ['convert this jil to airflow', 'what runs after X']) expect(isScheduleQuestion(q), q).toBe(false);
  });
  it("a job's own schedule: times, days (seven of them are every day), calendar, timezone", () => {
    const box = sample.jobs.find((j) => j.name === 'SAMPLE_BOX_JOB')!;
    expect(scheduleOf(box)).toBe('at 20:00 every day');
    expect(describeSchedule('when does SALES_NIGHTLY_BOX run', nightly)).toBe('SALES_NIGHTLY_BOX runs at 01:30 on mo, tu, we, th, fr (Europe/London).');
    expect(describeSchedule('what is the schedule', monthEnd)).toBe('1 job has a schedule of its own: FIN_GL_CLOSE_BOX runs at 18:00 on the days of calendar MONTH_END_WORKDAYS.');
  });
  it('a job without one: what starts it (its box and the box schedule, its condition), or that only a start does', () => {
    expect(describeSchedule('when does SAMPLE_CMD_JOB_2 run?', sample)).toBe(
      'SAMPLE_CMD_JOB_2 has no schedule of its own: it starts when its box SAMPLE_BOX_JOB runs (SAMPLE_BOX_JOB runs at 20:00 every day), once its condition s(SAMPLE_CMD_JOB_1) is met.',
    );
    const small = parseJil(SMALL_JIL);
    expect(describeSchedule('when does B run', small)).toBe('B has no schedule of its own: it starts when its condition s(A) is met (A has succeeded).');
    expect(describeSchedule('when does A run', small)).toBe('A has no schedule and no condition: it runs only when started (sendevent or by hand).');
    const ignored = parseJil('insert_job: T command: t\nstart_times: "10:00"');
    expect(describeSchedule('when does T run', ignored)).toMatch(/date_conditions is off, so AutoSys ignores them/);
  });
  it('up through boxes without a schedule: their conditions in words, to the schedule of what they wait on or of the outer box', () => {
    expect(describeSchedule('when does FIN_REPORT_PACK run?', monthEnd)).toBe(
      'FIN_REPORT_PACK has no schedule of its own: it starts when its box FIN_REPORTING_BOX runs, once its condition (s(FIN_PNL_REPORT) & s(FIN_BALANCE_REPORT)) | t(FIN_BALANCE_REPORT) is met. ' +
        'FIN_REPORTING_BOX has no schedule of its own either: it starts once its condition s(FIN_GL_CLOSE_BOX, 06.00) is met (FIN_GL_CLOSE_BOX has succeeded within the last 6 hours); FIN_GL_CLOSE_BOX runs at 18:00 on the days of calendar MONTH_END_WORKDAYS.',
    );
    expect(describeSchedule('when does SALES_VALIDATE run', nightly)).toBe(
      'SALES_VALIDATE has no schedule of its own: it starts when its box SALES_STAGE_BOX runs. ' +
        'SALES_STAGE_BOX has no schedule of its own either: it starts when its box SALES_NIGHTLY_BOX runs, once its condition s(SALES_LAND_BOX) is met (SALES_LAND_BOX has succeeded). ' +
        'SALES_NIGHTLY_BOX runs at 01:30 on mo, tu, we, th, fr (Europe/London).',
    );
    // boxes in a loop (a broken export; the parser cuts it) end the chain instead of going round it
    const loop = parseJil('insert_job: X job_type: BOX box_name: Y\ninsert_job: Y job_type: BOX box_name: X\ninsert_job: J command: j box_name: X');
    expect(describeSchedule('when does J run', loop)).toBe(
      'J has no schedule of its own: it starts when its box X runs. X has no schedule of its own either: it starts when its box Y runs. ' +
        'Y has no schedule and no condition either: it runs only when started (sendevent or by hand).',
    );
  });
  it('what runs on a day of the week: own schedules on that day, calendars that may have it, the jobs inside those boxes', () => {
    expect(isScheduleQuestion('what runs on saturdays?')).toBe(true);
    expect(isScheduleQuestion('which jobs run on weekdays')).toBe(true);
    // a day that is not about when jobs run
    expect(isScheduleQuestion('convert the sunday jobs to airflow')).toBe(false);
    expect(describeSchedule('what runs on Friday', nightly)).toBe(
      'On Friday: SALES_NIGHTLY_BOX runs at 01:30 on mo, tu, we, th, fr (Europe/London). The 14 jobs inside SALES_NIGHTLY_BOX run with it.',
    );
    expect(describeSchedule('what runs on saturdays?', nightly)).toBe('No job in this file has a schedule of its own on Saturday.');
    expect(describeSchedule('which jobs run on weekends', monthEnd)).toBe(
      'No job in this file has a schedule of its own on Saturday or Sunday. On a calendar, so on Saturday or Sunday only if the calendar has it: FIN_GL_CLOSE_BOX (calendar MONTH_END_WORKDAYS).',
    );
    // a job that names no day runs every day
    expect(describeSchedule('what runs on sundays', sample)).toBe('On Sunday: SAMPLE_BOX_JOB runs at 20:00 every day. The 2 jobs inside SAMPLE_BOX_JOB run with it.');
  });
  it('what runs at a time of day', () => {
    expect(describeSchedule('what runs at 20:00?', sample)).toBe('Starting at 20:00: SAMPLE_BOX_JOB.');
    expect(describeSchedule('what runs at 1:30', nightly)).toBe('Starting at 01:30: SALES_NIGHTLY_BOX.');
    expect(describeSchedule('anything at 8:00?', sample)).toBe('No job in this file has a start time of 08:00.');
  });
});

describe('boxes of a job and the longest chain, from the analysis', () => {
  const small = analyzeJil(parseJil(SMALL_JIL));
  it('which box a job is in (and the boxes around it), or what a box holds', () => {
    expect(answerAnalysisQuestion('which box does SALES_VALIDATE belong to', analyzeJil(nightly))).toBe('SALES_VALIDATE is in box SALES_STAGE_BOX (inside SALES_NIGHTLY_BOX).');
    expect(answerAnalysisQuestion('which jobs are in BX?', small)).toBe('Box BX holds 1: IN_BX.');
    expect(answerAnalysisQuestion('is OTHER in a box', small)).toBe('OTHER is not in a box.');
  });
  it('the critical path', () => {
    expect(answerAnalysisQuestion("what's the longest chain", small)).toBe('The longest chain of jobs (the critical path) has 3 jobs: A → B → C.');
  });
});

describe('"what is in …" is about a box only when it names one', () => {
  it('recognised with a job-like name, not for the file', () => {
    expect(isAnalysisQuestion('which jobs are in SAMPLE_BOX_JOB?')).toBe(true);
    expect(isAnalysisQuestion("what's in BOX1")).toBe(true);
    for (const q of ["what's in this file?", "what's in this JIL?", 'what is in it']) expect(isAnalysisQuestion(q), q).toBe(false);
  });
});

describe('one job in plain words', () => {
  it('type, box, command and machine, owner, schedule, condition, retries, description', () => {
    const job = (n: string) => nightly.jobs.find((j) => j.name === n)!;
    expect(describeJob(job('SALES_VALIDATE'))).toBe(
      'SALES_VALIDATE is a command job in box SALES_STAGE_BOX. It runs `/opt/etl/bin/validate.sh --feeds eu,us,apac --date $(date +%Y-%m-%d)` on etl-worker-01. Owner: etl@prod. AutoSys retries it up to 2 times.',
    );
    expect(describeJob(job('SALES_WAIT_EU_FEED'))).toBe('SALES_WAIT_EU_FEED is a file watcher in box SALES_LAND_BOX. It watches for /landing/sales/eu/sales_*.csv on localhost.');
    expect(describeJob(job('SALES_NIGHTLY_BOX'))).toBe(
      'SALES_NIGHTLY_BOX is a box. Owner: etl@prod. It runs at 01:30 on mo, tu, we, th, fr (Europe/London). Description: Nightly sales pipeline: landing files to the warehouse.',
    );
    const odd = parseJil('insert_job: Q command: echo `date`').jobs[0]!;
    expect(describeJob(odd)).toBe('Q is a command job. It runs `` echo `date` ``.');
  });
  it('"what does X do" is a job question only with a job-like name', () => {
    expect(isJobQuestion('what does SALES_VALIDATE do?') && namesAJob('what does SALES_VALIDATE do?')).toBe(true);
    expect(namesAJob('what does this file do?')).toBe(false);
  });
});
