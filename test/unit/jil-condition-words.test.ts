import { describe, expect, it } from 'vitest';
import { conditionWords, hasAlternatives, lookbackWords } from '../../src/workflows/builtin/jil/lib/condition-words.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';

const ast = (condition: string) => {
  const parsed = parseJil(`insert_job: J command: j\ncondition: ${condition}`);
  const c = parsed.jobs[0]!.condition;
  if (!c) throw new Error(`no condition parsed from ${condition}`);
  return c.ast;
};

describe('a JIL condition in words', () => {
  it('each atom: status, exit code, global variable, instance, lookback', () => {
    expect(conditionWords(ast('s(A)'))).toBe('A has succeeded');
    expect(conditionWords(ast('f(A)'))).toBe('A has failed');
    expect(conditionWords(ast('t(A)'))).toBe('A was terminated');
    expect(conditionWords(ast('d(A)'))).toBe('A has ended');
    expect(conditionWords(ast('n(A)'))).toBe('A is not running');
    expect(conditionWords(ast('e(A) != 0'))).toBe('A ended with an exit code other than 0');
    expect(conditionWords(ast('e(A) = 3'))).toBe('A ended with an exit code 3');
    expect(conditionWords(ast('v(READY) = "yes"'))).toBe('global variable READY is "yes"');
    expect(conditionWords(ast('s(LOAD^PRD)'))).toBe('LOAD (of instance PRD) has succeeded');
    expect(conditionWords(ast('s(A, 06.00)'))).toBe('A has succeeded within the last 6 hours');
    expect(conditionWords(ast('s(A, 0)'))).toBe('A has succeeded since this job last ran');
  });
  it('and/or keep their structure; jobs of one status are said together', () => {
    expect(conditionWords(ast('s(A) & s(B)'))).toBe('A and B have both succeeded');
    expect(conditionWords(ast('t(A) & t(B) & t(C)'))).toBe('A, B and C were all terminated');
    expect(conditionWords(ast('s(A) & f(B)'))).toBe('A has succeeded and B has failed');
    expect(conditionWords(ast('(s(A) & s(B)) | t(B)'))).toBe('either A and B have both succeeded, or B was terminated');
    expect(conditionWords(ast('(s(A) | s(B)) & s(C)'))).toBe('(either A has succeeded, or B has succeeded) and C has succeeded');
  });
  it('knows a condition with alternatives anywhere in it', () => {
    expect(hasAlternatives(ast('s(A) & s(B)'))).toBe(false);
    expect(hasAlternatives(ast('s(A) | s(B)'))).toBe(true);
    expect(hasAlternatives(ast('s(C) & (s(A) | s(B))'))).toBe(true);
  });
  it('lookbacks in hours and minutes', () => {
    expect(lookbackWords(45)).toBe('45 min');
    expect(lookbackWords(60)).toBe('1 hour');
    expect(lookbackWords(150)).toBe('2 h 30 min');
  });
});
