import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/validation-error.js';
import { commentText, mdCell, tsString } from '../../src/cli/dataops-workflow/literals.js';
import { parseWorkflowName } from '../../src/cli/dataops-workflow/names.js';
import { WORKFLOW_NAME } from '../../src/workflows/define-workflow.js';

describe('parseWorkflowName', () => {
  it('maps a bare action to custom.<action> and derives identifiers and paths', () => {
    expect(parseWorkflowName('demo_thing')).toEqual({
      name: 'custom.demo_thing',
      area: 'custom',
      action: 'demo_thing',
      identifier: 'customDemoThingWorkflow',
      pascal: 'DemoThing',
      title: 'Demo thing',
      workflowFile: 'src/workflows/custom/custom/demo_thing.ts',
      testFile: 'test/unit/workflows/custom.demo_thing.test.ts',
      docsFile: 'docs/workflows/custom.demo_thing.md',
    });
  });

  it('takes area.action as is (trimmed)', () => {
    const n = parseWorkflowName('  sales2.weekly_report ');
    expect(n.name).toBe('sales2.weekly_report');
    expect(n.identifier).toBe('sales2WeeklyReportWorkflow');
    expect(n.pascal).toBe('WeeklyReport');
    expect(n.workflowFile).toBe('src/workflows/custom/sales2/weekly_report.ts');
  });

  it('gives reserved JavaScript words safe identifiers', () => {
    const n = parseWorkflowName('etl.delete');
    expect(n.identifier).toBe('etlDeleteWorkflow');
    expect(n.pascal).toBe('Delete');
  });

  it('every accepted name is a valid workflow name', () => {
    for (const raw of ['a', 'a1', 'x.y', 'demo_thing', 'jil.parse_v2', 'a_b_c.d_e_f']) {
      expect(WORKFLOW_NAME.test(parseWorkflowName(raw).name)).toBe(true);
    }
  });

  it.each([
    ['', /required/],
    ['   ', /required/],
    ['Demo', /did you mean "demo"/],
    ['demo-thing', /did you mean "demo_thing"/],
    ['demo thing', /did you mean "demo_thing"/],
    ['demo__thing', /single underscores/],
    ['demo_', /single underscores/],
    ['_demo', /starting with a letter/],
    ['1demo', /starting with a letter/],
    ['a.b.c', /2 dots/],
    ['a.', /invalid workflow name/],
    ['.a', /invalid workflow name/],
    ['démo', /invalid workflow name/],
    ['a'.repeat(65), /limit is 64/],
    ['x'.repeat(58), /custom\.x+" is 65 characters/],
    ['test.thing', /reserved area "test"/],
    ['engine.join', /reserved area "engine"/],
    ['demo.index', /reserved action "index"/],
    ['index', /reserved action "index"/],
  ])('rejects %j as a usage error', (raw, message) => {
    let error: unknown;
    try {
      parseWorkflowName(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('literals', () => {
  it('tsString makes a literal that evaluates back to the same string', () => {
    for (const s of ["it's", 'back\\slash', 'line\nbreak\r\ttab', 'quote " and `tick` ${x}', '\u2028\u2029\u0000\u007f', 'ünï ☃']) {
      const literal = tsString(s);
      expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
      expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
      expect(new Function(`return ${literal};`)()).toBe(s);
    }
  });

  it('commentText cannot close a block comment and stays on one line', () => {
    expect(commentText('a */ b\n c')).toBe('a * / b c');
  });

  it('mdCell escapes pipes and joins lines', () => {
    expect(mdCell('a | b\n\nc')).toBe('a \\| b c');
  });
});
