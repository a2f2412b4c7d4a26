import { describe, expect, it } from 'vitest';
import { OfflineLlm } from '../../src/llm/offline-router.js';
import { withoutNames } from '../../src/llm/offline-score.js';
import { intentsOf, type RouteRequest } from '../../src/llm/llm.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

const registry = registerBuiltins(new WorkflowRegistry());
const llm = new OfflineLlm();
const file = (kind: string) => ({ artifactId: 'art_00000000-0000-0000-0000-000000000001', name: kind === 'csv' ? 'orders.csv' : 'nightly.jil', contentType: 'text/plain', kind });
const route = (message: string, kind: string) =>
  intentsOf(llm.routeSync({ message, contextSummary: '', tools: registry.toolSpecs(), artifacts: [file(kind)], preferredWorkflows: [] } as unknown as RouteRequest)).map((i) => i.tool);

describe('names in a message are not request words', () => {
  it('blanks UPPER_SNAKE identifiers and keeps plain words and lowercase tool names', () => {
    expect(withoutNames('what runs after SAMPLE_CMD_JOB_1?')).toBe('what runs after  ?');
    expect(withoutNames('LOAD.DAILY-2 and CSV then jil.to_airflow')).toBe('  and CSV then jil.to_airflow');
    expect(withoutNames('what does sales_validate do with order_date?')).toBe('what does   do with  ?');
  });
  it('"what does sales_validate do" asks for no quality check ("validate" is in its name): no tool is named, the question goes to the file\'s answerer', () => {
    expect(route('what does sales_validate do?', 'jil')).toEqual([]);
    expect(route('what does SALES_VALIDATE do?', 'jil')).toEqual([]);
  });
  it('"what jobs run after SAMPLE_CMD_JOB_1" is about the graph, not a conversion ("cmd job" is a name)', () => {
    expect(route('what jobs run after SAMPLE_CMD_JOB_1', 'jil')).toEqual(['jil.analyze']);
    expect(route('what does SALES_LOAD depend on', 'jil')).toEqual(['jil.analyze']);
  });
});

describe('the attached file decides between tools the message does not name', () => {
  it('"is anything wrong with this file?" → the checks of its kind', () => {
    expect(route('is anything wrong with this file?', 'jil')).toEqual(['jil.analyze']);
    expect(route('is anything wrong with this file?', 'csv')).toEqual(['csv.quality']);
  });
  it('"any errors in this file?" with a JIL is the parse, not the CSV profile', () => {
    expect(route('any errors in this file?', 'jil')).toEqual(['jil.parse']);
    expect(route('any errors in this file?', 'csv')).toEqual(['csv.profile']);
  });
  it('a tool the message names wins over the file', () => {
    expect(route('profile this csv', 'jil')).toEqual(['csv.profile']);
    expect(route('show me what this autosys file contains', 'jil')).toEqual(['jil.parse']);
  });
});
