import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../api/types';
import { layers, reduceRuns, type RunState } from './runs';

const at = '2026-01-01T00:00:00.000Z';
const started: SessionEvent = {
  type: 'run.started',
  jobId: 'msg-m1',
  runId: 'r1',
  workflow: 'jil.pipeline',
  nodes: ['p.parse', 'a.analyze', 'c.convert'],
  steps: [
    { id: 'p.parse', workflow: 'jil.parse', node: 'parse', dependsOn: [], inserted: true },
    { id: 'a.analyze', workflow: 'jil.analyze', node: 'analyze', dependsOn: ['p.parse'] },
    { id: 'c.convert', workflow: 'jil.to_airflow', node: 'convert', dependsOn: ['p.parse'] },
  ],
  at,
};

function fold(events: SessionEvent[]): RunState[] {
  return events.reduce<RunState[]>((runs, e) => reduceRuns(runs, e), []);
}

describe('reduceRuns (the run graph state from WebSocket events)', () => {
  it('starts every step queued, then follows started → finished/failed/skipped, and the run end', () => {
    let runs = fold([
      started,
      { type: 'node.started', runId: 'r1', step: 'p.parse', workflow: 'jil.parse', node: 'parse', at },
      { type: 'node.finished', runId: 'r1', step: 'p.parse', workflow: 'jil.parse', node: 'parse', artifacts: ['art_1'], ms: 12, at },
      { type: 'node.failed', runId: 'r1', step: 'a.analyze', workflow: 'jil.analyze', node: 'analyze', error: 'boom', willRetry: true, at },
      { type: 'node.failed', runId: 'r1', step: 'c.convert', workflow: 'jil.to_airflow', node: 'convert', error: 'bad', willRetry: false, at },
    ]);
    expect(runs[0]!.steps[1]!.status).toBe('retrying');
    expect(runs[0]!.status).toBe('running');
    runs = reduceRuns(runs, { type: 'run.finished', jobId: 'msg-m1', runId: 'r1', status: 'failed', artifacts: [], error: 'bad', at });
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run!.hasEdges).toBe(true);
    expect(run!.status).toBe('failed');
    expect(run!.steps.map((s) => [s.id, s.status])).toEqual([
      ['p.parse', 'done'],
      ['a.analyze', 'failed'],
      ['c.convert', 'failed'],
    ]);
    expect(run!.steps[0]!.ms).toBe(12);
    expect(run!.steps[0]!.inserted).toBe(true);
  });

  it('ignores a repeated run.started and events of unknown runs; adds a step the plan did not announce', () => {
    const runs = fold([
      started,
      started,
      { type: 'node.started', runId: 'other', step: 'x', workflow: 'w', node: 'n', at },
      { type: 'node.skipped', runId: 'r1', step: 'extra.step', reason: 'condition false', at },
    ]);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.steps.map((s) => s.id)).toEqual(['p.parse', 'a.analyze', 'c.convert', 'extra.step']);
    expect(runs[0]!.steps[3]!.status).toBe('skipped');
  });

  it('without steps (an older server) shows the nodes in order with no edges', () => {
    const { steps: _steps, ...bare } = started as Extract<SessionEvent, { type: 'run.started' }>;
    const runs = fold([bare]);
    expect(runs[0]!.hasEdges).toBe(false);
    expect(runs[0]!.steps.map((s) => [s.workflow, s.node])).toEqual([
      ['p', 'parse'],
      ['a', 'analyze'],
      ['c', 'convert'],
    ]);
  });
});

describe('layers', () => {
  it('puts parallel branches in one column after their shared dependency, and survives a cycle', () => {
    const d = layers([
      { id: 'a', workflow: 'w', node: 'a', dependsOn: [] },
      { id: 'b', workflow: 'w', node: 'b', dependsOn: ['a'] },
      { id: 'c', workflow: 'w', node: 'c', dependsOn: ['a'] },
      { id: 'd', workflow: 'w', node: 'd', dependsOn: ['b', 'c'] },
    ]);
    expect([...d.entries()].sort()).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 1],
      ['d', 2],
    ]);
    const cyclic = layers([
      { id: 'x', workflow: 'w', node: 'x', dependsOn: ['y'] },
      { id: 'y', workflow: 'w', node: 'y', dependsOn: ['x'] },
    ]);
    expect(cyclic.size).toBe(2);
  });
});
