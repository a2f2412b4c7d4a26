import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerAnalysisQuestion, isAnalysisQuestion } from '../../src/workflows/builtin/jil/lib/analysis-answers.js';
import { relationDirection } from '../../src/workflows/builtin/jil/lib/analysis-relations.js';
import { describeParseProblems } from '../../src/workflows/builtin/jil/lib/parse-overview.js';
import { analyzeJil } from '../../src/workflows/builtin/jil/lib/analyzer.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';
import { SMALL_JIL } from '../support/small-jil.js';

const parsed = parseJil(SMALL_JIL);
const small = analyzeJil(parsed);
const sample = readFileSync(new URL('../fixtures/jil/public/jilutil-sample.jil', import.meta.url), 'utf8');

describe('which way a question looks from the job it names', () => {
  const dir = (q: string, job: string) => relationDirection(q, q.indexOf(job), job.length);
  it('after, what depends on, downstream of, triggered by → downstream', () => {
    for (const q of ['what runs after LOAD', 'which jobs come after LOAD?', 'what depends on LOAD', 'what is downstream of LOAD', 'jobs triggered by the job LOAD', "LOAD's dependents", 'what happens when LOAD finishes', 'what starts once LOAD is done']) {
      expect(dir(q, 'LOAD'), q).toBe('downstream');
    }
  });
  it('before, what does X depend on, upstream of, what triggers → upstream', () => {
    for (const q of ['what runs before LOAD', 'what does LOAD depend on', 'list the dependencies of LOAD', 'what is LOAD waiting for', 'upstream of LOAD', 'what triggers LOAD', "LOAD's dependencies", 'prerequisites of LOAD']) {
      expect(dir(q, 'LOAD'), q).toBe('upstream');
    }
  });
  it('a question that names the job without a direction → null', () => {
    expect(dir('tell me about LOAD', 'LOAD')).toBeNull();
    expect(dir('when does LOAD run?', 'LOAD')).toBeNull();
    expect(dir('what breaks if LOAD fails', 'LOAD')).toBeNull();
  });
});

describe('neighbours of a job, from the analysis', () => {
  it('what runs after A: its direct waiters with what they wait for, then the rest in turn, boxes leading to their jobs', () => {
    expect(answerAnalysisQuestion('what runs after A?', small)).toBe(
      'Waiting on A: B (for its success), ON_FAIL (for its failure), AFTER_ANY (for it to end). After those, in turn: C, BX, IN_BX.',
    );
  });
  it('what does C depend on: its condition, then what that waits on in turn', () => {
    expect(answerAnalysisQuestion('what does C depend on', small)).toBe('C waits on B (it to end). Through that, also on A.');
  });
  it('a condition with alternatives keeps its and/or: not a flat list of everything it names', () => {
    const monthEnd = analyzeJil(parseJil(readFileSync(new URL('../../examples/jil/month-end-finance.jil', import.meta.url), 'utf8')));
    expect(answerAnalysisQuestion('what does FIN_REPORT_PACK depend on?', monthEnd)).toMatch(
      /^FIN_REPORT_PACK starts once either FIN_PNL_REPORT and FIN_BALANCE_REPORT have both succeeded, or FIN_BALANCE_REPORT was terminated\. Through those, also on FIN_GL_POST, /,
    );
    const mixed = analyzeJil(parseJil('insert_job: A command: a\ninsert_job: B command: b\ninsert_job: C command: c\ncondition: (s(A) | e(B) > 2) & d(A, 01.30)'));
    expect(answerAnalysisQuestion('what does C depend on', mixed)).toBe(
      'C starts once (either A has succeeded, or B ended with an exit code above 2) and A has ended within the last 1 h 30 min.',
    );
  });
  it("what its box waits on, and lookbacks, in words", () => {
    const monthEnd = analyzeJil(parseJil(readFileSync(new URL('../../examples/jil/month-end-finance.jil', import.meta.url), 'utf8')));
    expect(answerAnalysisQuestion('what does FIN_PNL_REPORT depend on?', monthEnd)).toBe(
      'FIN_PNL_REPORT has no conditions on other jobs. It is in box FIN_REPORTING_BOX, so it starts only once FIN_REPORTING_BOX runs, which waits on FIN_GL_CLOSE_BOX (its success within the last 6 hours).',
    );
    expect(answerAnalysisQuestion('what runs after FIN_GL_CLOSE_BOX', monthEnd)).toMatch(/^Waiting on FIN_GL_CLOSE_BOX: FIN_REPORTING_BOX \(for its success within the last 6 hours\)\./);
  });
  it('a job in a box with no conditions: says so, and that its box starts it', () => {
    expect(answerAnalysisQuestion('what runs before IN_BX', small)).toBe('IN_BX has no conditions on other jobs. It is in box BX, so it starts only once BX runs, which waits on B (its success).');
    expect(answerAnalysisQuestion('what does OTHER depend on', small)).toBe('OTHER has no conditions on other jobs. It starts on its own schedule or when started.');
  });
  it('a box: what waits on it and the jobs inside it', () => {
    expect(answerAnalysisQuestion('what comes after BX', small)).toBe('No job in this file has a condition on BX. As a box it runs 1 job inside it: IN_BX.');
    expect(answerAnalysisQuestion('what runs after OTHER', small)).toBe('No job in this file waits on OTHER.');
  });
  it('names matched case-insensitively, the failure question still answered as an impact', () => {
    expect(answerAnalysisQuestion('what jobs run after sample_cmd_job_1', analyzeJil(parseJil(sample)))).toBe('Waiting on SAMPLE_CMD_JOB_1: SAMPLE_CMD_JOB_2 (for its success).');
    expect(answerAnalysisQuestion('what depends on A if it fails', small)).toMatch(/^If A fails, /);
  });
});

describe('is anything wrong', () => {
  it('is a question the analysis and the parse answer', () => {
    for (const q of ['is anything wrong with this file?', 'any problems in these jobs', 'are there errors?']) expect(isAnalysisQuestion(q), q).toBe(true);
  });
  it('a clean graph says so; cycles and undefined references are listed', () => {
    expect(answerAnalysisQuestion('is anything wrong with this file?', small)).toBe(
      'The dependency graph has no problems: no cycles, and every job a condition names is defined in the file.',
    );
    const broken = analyzeJil(parseJil(['insert_job: P command: p', 'condition: s(Q) & s(GONE)', 'insert_job: Q command: q', 'condition: s(P)'].join('\n')));
    const a = answerAnalysisQuestion('any problems?', broken) ?? '';
    expect(a).toMatch(/^In the dependency graph: 1 cycle \(jobs that wait on themselves\): (P → Q → P|Q → P → Q); conditions on 1 job this file does not define: GONE \(used by P\)\.$/);
  });
  it('the parse quotes its errors and warnings with their lines, or says there are none', () => {
    expect(describeParseProblems(parsed)).toBe('Parsing found no errors and no warnings: every statement and condition was read.');
    const bad = parseJil(['insert_job: P command: p', 'condition: s(Q', 'insert_job: Q command: q', 'bogus_attribute_here'].join('\n'));
    expect(bad.errors.length + bad.warnings.length).toBeGreaterThan(0);
    expect(describeParseProblems(bad)).toMatch(/^Parsing found \d+ errors? and \d+ warnings?: line \d+: .+\.$/);
  });
});
