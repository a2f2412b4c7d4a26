import { describe, expect, it } from 'vitest';
import { PlanStep } from '../../src/planning/plan.js';
import { runStepViews } from '../../src/runtime/events.js';

describe('runStepViews (the steps run.started shows)', () => {
  it('keeps ids, workflows, nodes and dependencies, and marks the steps of inserted prerequisites', () => {
    const steps = [
      PlanStep.parse({ id: 'parse_1.parse', workflow: 'jil.parse', node: 'parse', instance: 'parse_1' }),
      PlanStep.parse({ id: 'main.convert', workflow: 'jil.to_airflow', node: 'convert', instance: 'main', dependsOn: ['parse_1.parse'] }),
    ];
    const views = runStepViews({
      steps,
      prerequisites: [{ instance: 'parse_1', workflow: 'jil.parse', from: 'art_x', kind: 'jil.parsed', for: [{ instance: 'main', param: 'parsed' }] }],
    });
    expect(views).toEqual([
      { id: 'parse_1.parse', workflow: 'jil.parse', node: 'parse', dependsOn: [], inserted: true },
      { id: 'main.convert', workflow: 'jil.to_airflow', node: 'convert', dependsOn: ['parse_1.parse'] },
    ]);
    expect(runStepViews({ steps, prerequisites: [] }).some((v) => v.inserted)).toBe(false);
  });
});
