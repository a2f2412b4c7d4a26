import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CycleError } from '../../src/errors/cycle-error.js';
import { ValidationError } from '../../src/errors/validation-error.js';
import { flowView } from '../../src/runtime/flow-builder.js';
import { parseRunJobId, makeRunId } from '../../src/runtime/job-data.js';
import { readPath, testCondition } from '../../src/runtime/merge-results.js';
import { findMissing } from '../../src/assistant/missing-params.js';
import { compilePlan } from '../../src/planning/plan.js';
import { defineWorkflow, param } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

const noop = async () => ({});
function registry(): WorkflowRegistry {
  const r = new WorkflowRegistry();
  const wf = (name: string, input: z.ZodObject = z.object({}).passthrough(), nodes: Record<string, { run: typeof noop; after?: string[] }> = { run: { run: noop } }) =>
    r.register(defineWorkflow({ name, description: name, examples: [name], input, output: z.object({}).passthrough(), nodes }));
  wf('a.one', z.object({ n: param(z.number(), { description: 'n', ask: 'n?' }) }));
  wf('a.two');
  wf('a.three');
  wf('a.multi', z.object({}).passthrough(), { first: { run: noop }, second: { run: noop, after: ['first'] }, third: { run: noop, after: ['first'] } });
  return r;
}
const workers = { orchestratorConcurrency: 1, nodesConcurrency: 1, attempts: 3, backoffMs: 10, shutdownTimeoutMs: 1, lockDurationMs: 1000, stalledIntervalMs: 1000 };

describe('compilePlan', () => {
  it('a chain is a tree: each step depends on the one before', () => {
    const p = compilePlan({ sequence: [{ workflow: 'a.one', params: { n: 1 } }, { workflow: 'a.two' }, { workflow: 'a.three' }] }, registry());
    expect(p.mode).toBe('tree');
    expect(p.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ['a_one.run', []],
      ['a_two.run', ['a_one.run']],
      ['a_three.run', ['a_two.run']],
    ]);
    expect(p.sinks).toEqual(['a_three.run']);
  });

  it('parallel sinks get a join so the tree has one root', () => {
    const p = compilePlan({ parallel: [{ workflow: 'a.two' }, { workflow: 'a.three' }] }, registry());
    expect(p.mode).toBe('tree');
    expect(p.sinks).toEqual(['__engine.join']);
    const view = flowView(p, { runId: 'run-x', sessionId: 's', userId: 'u' }, workers);
    const tree = view.tree as { jobId: string; children: { jobId: string; failurePolicy: string }[] };
    expect(tree.jobId).toBe('run-x.__engine.join');
    expect(tree.children.map((c) => c.failurePolicy)).toEqual(['failParentOnFailure', 'failParentOnFailure']);
  });

  it('a shared dependency or a condition needs the coordinator', () => {
    const shared = compilePlan({ sequence: [{ workflow: 'a.two' }, { parallel: [{ workflow: 'a.three' }, { workflow: 'a.three' }] }] }, registry());
    expect(shared.mode).toBe('coordinator');
    const cond = compilePlan({ sequence: [{ workflow: 'a.two' }, { condition: { path: 'x', op: 'truthy' }, then: { workflow: 'a.three' } }] }, registry());
    expect(cond.mode).toBe('coordinator');
    expect(cond.steps[1]!.condition).toMatchObject({ instance: 'a_two', negate: false });
  });

  it('expands a workflow into its internal node graph', () => {
    const p = compilePlan({ sequence: [{ workflow: 'a.two' }, { workflow: 'a.multi' }] }, registry());
    const byId = Object.fromEntries(p.steps.map((s) => [s.id, s]));
    expect(byId['a_multi.first']!.dependsOn).toEqual(['a_two.run']);
    expect(byId['a_multi.second']!.dependsOn).toEqual(['a_multi.first']);
    expect(byId['a_multi.third']!.terminal).toBe(true);
    expect(p.mode).toBe('coordinator');
  });

  it('rejects a DAG cycle with the cycle named', () => {
    const spec = { dag: [{ id: 'x', workflow: 'a.two', dependsOn: ['z'] }, { id: 'y', workflow: 'a.two', dependsOn: ['x'] }, { id: 'z', workflow: 'a.two', dependsOn: ['y'] }] };
    expect(() => compilePlan(spec, registry())).toThrow(CycleError);
    try {
      compilePlan(spec, registry());
    } catch (err) {
      expect((err as CycleError).details).toEqual({ cycle: ['x', 'z', 'y', 'x'] });
    }
  });

  it('rejects unknown workflows, bad first-step params, unknown dag deps and bad $from', () => {
    const r = registry();
    expect(() => compilePlan({ workflow: 'nope.x' }, r)).toThrow(ValidationError);
    expect(() => compilePlan({ workflow: 'a.one', params: { n: 'x' } }, r)).toThrow(/invalid parameters/);
    expect(() => compilePlan({ workflow: 'a.one' }, r)).toThrow(ValidationError);
    expect(() => compilePlan({ dag: [{ id: 'x', workflow: 'a.two', dependsOn: ['ghost'] }] }, r)).toThrow(/unknown node "ghost"/);
    expect(() => compilePlan({ sequence: [{ workflow: 'a.two' }, { workflow: 'a.three', params: { v: { $from: 'elsewhere.v' } } }] }, r)).toThrow(/\$from/);
    expect(() => compilePlan({ sequence: [{ workflow: 'a.two', id: 'p' }, { workflow: 'a.three', params: { v: { $from: 'p.v' } } }] }, r)).not.toThrow();
    expect(() => compilePlan({ sequence: [] }, r)).toThrow(ValidationError);
    expect(() => compilePlan({ workflow: 'a.two', id: 'bad:id' }, r)).toThrow(ValidationError);
  });
});

describe('run-time helpers', () => {
  it('conditions compare as documented', () => {
    expect(testCondition(5, 'gt', 3)).toBe(true);
    expect(testCondition('5', 'lte', 5)).toBe(true);
    expect(testCondition('x', 'gt', 1)).toBe(false);
    expect(testCondition({ a: 1 }, 'eq', { a: 1 })).toBe(true);
    expect(testCondition('b', 'in', ['a', 'b'])).toBe(true);
    expect(testCondition(null, 'exists', undefined)).toBe(false);
    expect(testCondition(0, 'truthy', undefined)).toBe(false);
    expect(readPath({ a: { b: [1, { c: 2 }] } }, 'a.b.1.c')).toBe(2);
    expect(readPath({ a: 1 }, 'a.b')).toBeUndefined();
  });

  it('run job ids name their session', () => {
    const sessionId = 'sess_12345678-1234-1234-1234-123456789abc';
    const runId = makeRunId(sessionId, 'msg_a.b');
    expect(parseRunJobId(`${runId}.jil_parse.parse`)).toEqual({ sessionId, runId, step: 'jil_parse.parse' });
    expect(parseRunJobId(runId)).toEqual({ sessionId, runId, step: null });
    expect(parseRunJobId('msg-msg_1')).toBeNull();
  });

  it('findMissing separates missing from invalid parameters and uses the ask prompts', () => {
    const schema = z.object({
      title: param(z.string(), { description: 'title', ask: 'What title?' }),
      n: param(z.number().int(), { description: 'a count' }),
      mode: z.enum(['a', 'b']).default('a'),
    });
    const r = findMissing(schema, { n: 'many', unrelated: 1 });
    expect(r.missing).toEqual([{ name: 'title', ask: 'What title?' }]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^n: /);
    expect(r.valid).toEqual({});
    expect(findMissing(schema, { title: 't', n: 2 }).valid).toEqual({ title: 't', n: 2, mode: 'a' });
  });
});

describe('defineWorkflow answerReads', () => {
  const base = {
    name: 'a.maker',
    description: 'Makes a thing.',
    examples: ['make a thing'],
    input: z.object({}),
    output: z.object({ thingArtifactId: z.string(), count: z.number() }),
    nodes: { run: { run: async () => ({}) } },
    produces: { thingArtifactId: 'a.thing' },
    answer: async () => null,
  };
  it('takes fields of produces, and nothing else', () => {
    expect(defineWorkflow({ ...base, answerReads: ['thingArtifactId'] }).answerReads).toEqual(['thingArtifactId']);
    expect(defineWorkflow(base).answerReads).toEqual([]);
    expect(() => defineWorkflow({ ...base, answerReads: ['count'] })).toThrow(/answerReads names "count", which is not one of its produces fields/);
    const { answer: _none, ...noAnswer } = base;
    expect(() => defineWorkflow({ ...noAnswer, answerReads: ['thingArtifactId'] })).toThrow(/answerReads without answer/);
  });
});
