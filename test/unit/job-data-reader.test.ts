import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildTree } from '../../src/runtime/flow-builder.js';
import { NodeJobData, NodeResult } from '../../src/runtime/job-data.js';
import { StoredNodeResult, readNodeJobData, readNodeResult, toWire, tryReadNodeResult } from '../../src/runtime/job-data-reader.js';
import { compilePlan } from '../../src/planning/compile.js';
import { defineWorkflow } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import type { FlowJob } from 'bullmq';

const workers = { attempts: 2, backoffMs: 10 } as never;

function registry(): WorkflowRegistry {
  const r = new WorkflowRegistry();
  for (const name of ['t.a', 't.b']) {
    r.register(
      defineWorkflow({
        name,
        description: 'test',
        examples: [],
        input: z.object({ n: z.number().optional() }).passthrough(),
        output: z.object({}).passthrough(),
        nodes: { run: { run: async () => ({}) } },
      }),
    );
  }
  return r;
}

function jobsOf(tree: FlowJob): unknown[] {
  return [tree.data, ...(tree.children ?? []).flatMap((c) => jobsOf(c as FlowJob))];
}

/** Mostly a valid value, sometimes one the schema rejects. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 30 }, { arbitrary: invalid, weight: 1 });
/** Now and then an unknown key (the schemas are strict). */
const withStray = <T extends object>(a: fc.Arbitrary<T>) =>
  fc.tuple(a, fc.integer({ min: 0, max: 29 })).map(([v, n]) => (n === 0 ? { ...v, stray: 1 } : v));

/** What zod makes of a value: the parsed value, or 'invalid'. */
const viaZod = <T>(schema: z.ZodType<T>, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? r.data : 'invalid';
};

describe('node job data reader', () => {
  it('reads every job the flow builder writes exactly as the zod schema does', () => {
    const plan = compilePlan({ sequence: [{ parallel: [{ workflow: 't.a', params: { n: 1 } }, { workflow: 't.b' }] }, { workflow: 't.a' }] }, registry(), { facts: {}, maxSteps: 50 });
    expect(plan.mode).toBe('tree');
    const tree = buildTree(plan, { runId: 'run-x-1', sessionId: 'sess_x', userId: 'u1' }, workers);
    const jobs = jobsOf(tree);
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    for (const data of jobs) {
      const read = readNodeJobData(JSON.parse(JSON.stringify(data)));
      expect(read.success).toBe(true);
      expect(read.success && read.data).toEqual(NodeJobData.parse(JSON.parse(JSON.stringify(data))));
    }
  });

  it('agrees with the zod schema on arbitrary values (accepts what it accepts, the same value)', () => {
    const step = fc.record(
      {
        id: mostly(fc.string(), fc.integer()),
        workflow: fc.string(),
        node: fc.string(),
        instance: mostly(fc.string(), fc.constant(null)),
        params: mostly(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.integer())),
        dependsOn: mostly(fc.array(fc.string()), fc.array(fc.integer(), { minLength: 1 })),
        onFailure: mostly(fc.constantFrom('fail', 'ignore'), fc.constant('retry')),
        entry: mostly(fc.boolean(), fc.constant('yes')),
        terminal: fc.boolean(),
      },
      { requiredKeys: ['id', 'workflow', 'node', 'instance'] },
    ).chain((v) =>
      // now and then a condition (the zod path reads it)
      fc.constantFrom(v, v, v, { ...v, condition: { instance: 'a', test: { op: 'exists', path: 'x' }, negate: false } }),
    );
    const data = withStray(
      fc.record(
        {
          runId: mostly(fc.constantFrom('run-a-1', 'run_b'), fc.constant('bad id!')),
          sessionId: mostly(fc.string(), fc.constant(7)),
          userId: fc.string(),
          step: withStray(step),
          root: mostly(fc.boolean(), fc.constant(1)),
          children: fc.boolean(),
          inputs: mostly(fc.constant(undefined), fc.constant({})),
          skipped: mostly(fc.constant(undefined), fc.array(fc.string())),
        },
        { requiredKeys: ['runId', 'sessionId', 'userId', 'step'] },
      ),
    );
    let valid = 0;
    fc.assert(
      fc.property(data, (v) => {
        const read = readNodeJobData(v);
        const zod = viaZod(NodeJobData, v);
        if (zod !== 'invalid') valid++;
        expect(read.success ? read.data : 'invalid').toEqual(zod);
      }),
      { seed: 20261202, numRuns: 2000 },
    );
    // both sides of the question were asked
    expect(valid).toBeGreaterThan(10);
    expect(valid).toBeLessThan(1990);
  });

  it('names what is wrong when the data is not a node job', () => {
    const read = readNodeJobData({ runId: 'run-a', sessionId: 's', userId: 'u', step: { id: 'x' } });
    expect(read.success).toBe(false);
    expect(!read.success && read.error).toMatch(/workflow/);
  });
});

describe('node result reader', () => {
  const full: NodeResult = {
    step: 'a.run',
    instance: 'a',
    workflow: 't.a',
    node: 'run',
    state: {},
    outputs: { a: {} },
    artifacts: [],
    allArtifacts: [],
    failed: [],
    skipped: [],
  };

  it('stores empty state and lists compactly and reads them back whole', () => {
    const wire = JSON.parse(JSON.stringify(toWire(full)));
    expect(Object.keys(wire).sort()).toEqual(['instance', 'node', 'outputs', 'step', 'workflow']);
    expect(readNodeResult(wire)).toEqual(full);
    const rich: NodeResult = { ...full, state: { n: 1 }, artifacts: ['art_1'], allArtifacts: ['art_0', 'art_1'], failed: [{ step: 'b.run', error: 'x' }], skipped: ['c.run'] };
    expect(readNodeResult(JSON.parse(JSON.stringify(toWire(rich))))).toEqual(rich);
    expect(readNodeResult(JSON.parse(JSON.stringify(rich)))).toEqual(rich);
  });

  it('agrees with the zod schema on arbitrary values', () => {
    const result = withStray(
      fc.record(
        {
          step: mostly(fc.string(), fc.integer()),
          instance: fc.string(),
          workflow: fc.string(),
          node: fc.string(),
          state: mostly(fc.dictionary(fc.string(), fc.jsonValue()), fc.constant([])),
          outputs: mostly(fc.dictionary(fc.string(), fc.dictionary(fc.string(), fc.integer())), fc.constant({ a: 1 })),
          artifacts: mostly(fc.array(fc.string()), fc.constant([1])),
          allArtifacts: fc.array(fc.string()),
          failed: fc.array(mostly(fc.record({ step: fc.string(), error: fc.string() }), fc.constant({ step: 'x', error: 'y', z: 1 }))),
          skipped: fc.array(fc.string()),
        },
        { requiredKeys: ['step', 'instance', 'workflow', 'node', 'outputs'] },
      ),
    );
    let valid = 0;
    fc.assert(
      fc.property(result, (v) => {
        const zod = viaZod(StoredNodeResult, v);
        if (zod !== 'invalid') valid++;
        expect(tryReadNodeResult(v) ?? 'invalid').toEqual(zod);
      }),
      { seed: 20261202, numRuns: 2000 },
    );
    expect(valid).toBeGreaterThan(10);
    expect(valid).toBeLessThan(1990);
  });
});
