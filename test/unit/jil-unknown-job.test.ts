import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerAnalysisQuestion } from '../../src/workflows/builtin/jil/lib/analysis-answers.js';
import { analyzeJil } from '../../src/workflows/builtin/jil/lib/analyzer.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';
import { findUnknownJob, noSuchJobAnswer } from '../../src/workflows/builtin/jil/lib/named-job.js';
import { jilParse } from '../../src/workflows/builtin/jil/jil-parse.workflow.js';

const text = readFileSync(new URL('../../examples/jil/nightly-etl.jil', import.meta.url), 'utf8');
const parsed = parseJil(text);
const names = parsed.jobs.map((j) => j.name);
const analysis = analyzeJil(parsed);

describe('a question that names a job the file does not have', () => {
  it('finds the name-like token that is not a job: underscores, digits or capitals; not files, ids, dates, times or plain words', () => {
    expect(findUnknownJob('when does NOPE_JOB run?', names)?.token).toBe('NOPE_JOB');
    expect(findUnknownJob('what does nope_job depend on?', names)?.token).toBe('nope_job');
    expect(findUnknownJob('tell me about ETL9', names)?.token).toBe('ETL9');
    expect(findUnknownJob('what does SALES_VALIDATE do?', names)).toBeNull();
    expect(findUnknownJob('what does sales_validate do?', names)).toBeNull();
    for (const q of ['what runs at month-end in nightly-etl.jil?', 'what runs on 2026-12-04 at 06.00', 'describe art_0123abcd', 'what is in the file']) expect(findUnknownJob(q, names), q).toBeNull();
  });

  it('says there is no such job, with the names spelt nearly the same or starting the same way', () => {
    expect(noSuchJobAnswer('SALES_VALIDAT', names)).toBe(`There is no job SALES_VALIDAT in this file (${names.length} jobs in it). Did you mean SALES_VALIDATE?`);
    expect(noSuchJobAnswer('SALES_FOO_BAR', names)).toMatch(/^There is no job SALES_FOO_BAR in this file \(\d+ jobs in it\)\. Jobs whose names start the same way: SALES_/);
    expect(noSuchJobAnswer('ZZZ_NOTHING', names)).toBe(`There is no job ZZZ_NOTHING in this file (${names.length} jobs in it).`);
  });

  it('the analysis answers relation, box and failure questions about such a job with that, not with something else', () => {
    for (const q of ['which jobs run after FIN_GL_LOAD?', 'what does nope_job depend on?', 'what breaks if FIN_NOPE fails', 'which box is NOPE_JOB in?']) {
      expect(answerAnalysisQuestion(q, analysis), q).toMatch(/^There is no job \S+ in this file/);
    }
    expect(answerAnalysisQuestion('which jobs run after SALES_VALIDATE?', analysis)).not.toMatch(/no job/);
  });

  it('jil.parse answers "what does X do" and "when does X run" about such a job with that', async () => {
    const readJson = async () => parsed;
    const o = { parsedArtifactId: 'art_p', jobs: parsed.stats.jobs, boxes: parsed.stats.boxes, warnings: 0, errors: 0, name: 'nightly-etl' };
    expect(await jilParse.answer!('what does SALES_FOO_BAR do?', o, readJson)).toMatch(/^There is no job SALES_FOO_BAR in this file/);
    expect(await jilParse.answer!('when does NOPE_JOB run?', o, readJson)).toMatch(/^There is no job NOPE_JOB in this file/);
    expect(await jilParse.answer!('when does SALES_NIGHTLY_BOX run?', o, readJson)).toMatch(/^SALES_NIGHTLY_BOX runs at 01:30/);
  });
});

describe('what breaks if a job fails, with exit-code conditions', () => {
  it('a job waiting on an exit code of the failed job is not counted as blocked: it depends on the code', () => {
    const a = analyzeJil(parseJil(readFileSync(new URL('../../examples/jil/month-end-finance.jil', import.meta.url), 'utf8')));
    const answer = answerAnalysisQuestion('what breaks if FIN_GL_EXTRACT fails', a)!;
    expect(answer).toMatch(/will not run: FIN_REPORTING_BOX, FIN_PNL_REPORT, FIN_BALANCE_REPORT, FIN_REPORT_PACK\./);
    expect(answer).toContain('Whether this one runs depends on the exit code it fails with: FIN_GL_RECONCILE (e(FIN_GL_EXTRACT) < 4).');
    expect(answer.split('will not run')[1]!.split('.')[0]).not.toContain('FIN_GL_RECONCILE');
  });
});

describe('two questions in one message', () => {
  it('each answer takes its job from its own part', async () => {
    const q = 'what runs after SALES_LOAD_BOX and when does SALES_PUBLISH run?';
    expect(answerAnalysisQuestion(q, analysis)).toMatch(/^Waiting on SALES_LOAD_BOX: /);
    const readJson = async () => parsed;
    const o = { parsedArtifactId: 'art_p', jobs: parsed.stats.jobs, boxes: parsed.stats.boxes, warnings: 0, errors: 0, name: 'nightly-etl' };
    expect(await jilParse.answer!(q, o, readJson)).toMatch(/^SALES_PUBLISH /);
    // questions about the whole file still read the whole message
    expect(answerAnalysisQuestion('which boxes are there and what breaks if SALES_VALIDATE fails', analysis)).toMatch(/^If SALES_VALIDATE fails/);
    expect(answerAnalysisQuestion('which jobs have no upstream and are there any cycles?', analysis)).toMatch(/^Jobs with no upstream .* There are no cycles/);
  });
});
