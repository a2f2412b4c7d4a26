import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { JilConditionError } from '../../src/workflows/builtin/jil/lib/condition-error.js';
import { conditionDependencies, parseCondition } from '../../src/workflows/builtin/jil/lib/condition-parser.js';
import { JilConditionNode } from '../../src/workflows/builtin/jil/lib/condition-schema.js';

const s = (job: string, extra: object = {}) => ({ kind: 'status', status: 'success', job, ...extra });
const st = (status: string, job: string, extra: object = {}) => ({ kind: 'status', status, job, ...extra });

describe('parseCondition — valid conditions', () => {
  it.each<[string, unknown]>([
    ['s(A)', s('A')],
    ['success(A)', s('A')],
    ['SUCCESS(A)', s('A')],
    ['S(A)', s('A')],
    ['f(A)', st('failure', 'A')],
    ['failure(A)', st('failure', 'A')],
    ['t(A)', st('terminated', 'A')],
    ['Terminated(A)', st('terminated', 'A')],
    ['d(A)', st('done', 'A')],
    ['DONE(A)', st('done', 'A')],
    ['n(A)', st('notrunning', 'A')],
    ['notrunning(A)', st('notrunning', 'A')],
    ['s(my.job-1#x)', s('my.job-1#x')],
    ['  s (  A  )  ', s('A')],
    ['s(A, 02.30)', s('A', { lookbackMinutes: 150 })],
    ['s(A,0)', s('A', { lookbackMinutes: 0 })],
    ['s(A, 1)', s('A', { lookbackMinutes: 60 })],
    ['d(A,12.05)', st('done', 'A', { lookbackMinutes: 725 })],
    ['s(A, 00:45)', s('A', { lookbackMinutes: 45 })],
    ['s(A^PRD)', s('A', { instance: 'PRD' })],
    ['s( A^PRD , 01.00 )', s('A', { instance: 'PRD', lookbackMinutes: 60 })],
    ['e(A) = 0', { kind: 'exitcode', job: 'A', op: '=', value: 0 }],
    ['exitcode(A)!=3', { kind: 'exitcode', job: 'A', op: '!=', value: 3 }],
    ['E(A) < 4', { kind: 'exitcode', job: 'A', op: '<', value: 4 }],
    ['e(A)<=4', { kind: 'exitcode', job: 'A', op: '<=', value: 4 }],
    ['e(A) > -1', { kind: 'exitcode', job: 'A', op: '>', value: -1 }],
    ['e(A^X, 02.00) >= 8', { kind: 'exitcode', job: 'A', instance: 'X', lookbackMinutes: 120, op: '>=', value: 8 }],
    ['v(MODE) = "full"', { kind: 'value', name: 'MODE', op: '=', value: 'full' }],
    ['value(MODE)="a \\"b\\""', { kind: 'value', name: 'MODE', op: '=', value: 'a "b"' }],
    ['v(COUNT) > 2', { kind: 'value', name: 'COUNT', op: '>', value: '2' }],
    ["v(MODE) != 'x y'", { kind: 'value', name: 'MODE', op: '!=', value: 'x y' }],
    ['v(MODE^PRD) = go', { kind: 'value', name: 'MODE', instance: 'PRD', op: '=', value: 'go' }],
    ['s(A) & s(B)', { kind: 'and', operands: [s('A'), s('B')] }],
    ['s(A) and s(B) AND s(C)', { kind: 'and', operands: [s('A'), s('B'), s('C')] }],
    ['s(A) | s(B)', { kind: 'or', operands: [s('A'), s('B')] }],
    ['s(A) OR s(B) or s(C)', { kind: 'or', operands: [s('A'), s('B'), s('C')] }],
    ['s(A)&s(B)|s(C)', { kind: 'or', operands: [{ kind: 'and', operands: [s('A'), s('B')] }, s('C')] }],
    ['s(A) | s(B) & s(C)', { kind: 'or', operands: [s('A'), { kind: 'and', operands: [s('B'), s('C')] }] }],
    ['(s(A) | s(B)) & s(C)', { kind: 'and', operands: [{ kind: 'or', operands: [s('A'), s('B')] }, s('C')] }],
    ['((s(A)))', s('A')],
    ['(s(A) & s(B)) & s(C)', { kind: 'and', operands: [s('A'), s('B'), s('C')] }],
    ['s(A)and(s(B))', { kind: 'and', operands: [s('A'), s('B')] }],
    [
      '\tsuccess ( A )\n and ( failure(B)or terminated(C) )',
      { kind: 'and', operands: [s('A'), { kind: 'or', operands: [st('failure', 'B'), st('terminated', 'C')] }] },
    ],
  ])('%s', (text, ast) => {
    const parsed = parseCondition(text);
    expect(parsed).toEqual(ast);
    expect(JilConditionNode.safeParse(parsed).success).toBe(true);
  });
});

describe('parseCondition — errors carry the position', () => {
  it.each<[string, number, string]>([
    ['', 0, 'end of condition'],
    ['   ', 3, 'end of condition'],
    ['s(A', 3, 'end of condition'],
    ['s(A) &', 6, 'end of condition'],
    ['s(A) & (s(B) | ', 15, 'end of condition'],
    ['q(A)', 0, "'q'"],
    ['success A', 8, "'A'"],
    ['s()', 2, "')'"],
    ['s(A) s(B)', 5, "'s'"],
    ['s(A))', 4, "')'"],
    ['s(A, 2.75)', 7, "'75'"],
    ['s(A, x)', 5, "'x'"],
    ['e(A)', 4, 'end of condition'],
    ['e(A) = x', 7, "'x'"],
    ['v(M) = "open', 12, 'end of condition'],
    ['s(A^)', 4, "')'"],
    ['s(A) && s(B)', 6, "'&'"],
  ])('%j fails at %i', (text, position, found) => {
    let err: unknown;
    try {
      parseCondition(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JilConditionError);
    expect(err).toBeInstanceOf(ValidationError);
    const ce = err as JilConditionError;
    expect(ce.position).toBe(position);
    expect(ce.found).toBe(found);
    expect(ce.text).toBe(text);
    expect(ce.message).toContain(`position ${position}`);
    expect(ce.expected.length).toBeGreaterThan(0);
  });
});

describe('conditionDependencies', () => {
  it('lists job dependencies left to right and variable tests apart', () => {
    const deps = conditionDependencies(parseCondition('s(A, 02.30) & (e(B^PRD) >= 4 | v(M) = "x") & n(C)'));
    expect(deps.dependsOn).toEqual([
      { job: 'A', status: 'success', lookbackMinutes: 150 },
      { job: 'B', status: 'exitcode', instance: 'PRD', op: '>=', value: 4 },
      { job: 'C', status: 'notrunning' },
    ]);
    expect(deps.variables).toEqual([{ name: 'M', op: '=', value: 'x' }]);
  });
});
