import { describe, expect, it } from 'vitest';
import type { TenantArtifacts, TenantStoreInput } from '../../../src/artifacts/tenant-artifacts.js';
import { ValidationError } from '../../../src/errors/validation-error.js';
import { createLogger } from '../../../src/logger.js';
import { compilePlan } from '../../../src/planning/plan.js';
import { registerBuiltins } from '../../../src/workflows/builtin/index.js';
import { compute{{pascal}}, {{identifier}} } from '../../../src/workflows/custom/{{area}}/{{action}}.js';
import type { NodeContext } from '../../../src/workflows/define-workflow.js';
import { inputJsonSchema, WorkflowRegistry } from '../../../src/workflows/registry.js';

// Made by `dataops-workflow new` for {{name}}: pure logic, no services. Update it with the workflow.

/** A NodeContext without services: `artifacts.store` records what it is given and returns a fake id. */
function fakeContext(): { ctx: NodeContext; stored: TenantStoreInput[]; progress: number[] } {
  const stored: TenantStoreInput[] = [];
  const progress: number[] = [];
  const store = async (input: TenantStoreInput) => {
    stored.push(input);
    return { artifactId: `art_fake${stored.length}` };
  };
  const ctx: NodeContext = {
    runId: 'run_test',
    sessionId: 'sess_test',
    userId: 'user_test',
    workflow: {{identifier}}.name,
    node: 'compute',
    step: 'test.compute',
    artifacts: { store } as unknown as TenantArtifacts,
    log: createLogger('silent'),
    progress: async (percent) => {
      progress.push(percent);
    },
    produces: {{identifier}}.produces,
  };
  return { ctx, stored, progress };
}

describe({{nameLiteral}}, () => {
  it('computes the counts (pure logic)', () => {
    expect(compute{{pascal}}({ text: 'one two\nthree' })).toEqual({ characters: 13, words: 3, lines: 2 });
    expect(compute{{pascal}}({ text: 'x' })).toEqual({ characters: 1, words: 1, lines: 1 });
  });

  it('stores the node result as an artifact and hands on only its id', async () => {
    const { ctx, stored, progress } = fakeContext();
    const out = await {{identifier}}.nodes['compute']!.run({ text: 'hello brave new world' }, ctx);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      outputKey: 'output',
      workflowName: {{nameLiteral}},
      contentType: 'json',
      content: { characters: 21, words: 4, lines: 1 },
      kind: {{nameLiteral}},
    });
    expect(out).toEqual({ words: 4, resultArtifactId: 'art_fake1', artifacts: ['art_fake1'] });
    expect(progress.length).toBeGreaterThan(0);
    const output = {{identifier}}.output.parse(out);
    expect({{identifier}}.summarize?.(output)).toContain('art_fake1');
  });

  it('rejects a state without the text and stores nothing', async () => {
    const { ctx, stored } = fakeContext();
    await expect({{identifier}}.nodes['compute']!.run({}, ctx)).rejects.toThrow();
    expect(stored).toHaveLength(0);
  });

  it('describes every parameter and asks for each required one', () => {
    const schema = inputJsonSchema({{identifier}}.input) as {
      properties: Record<string, { description?: string; 'x-ask'?: string }>;
      required?: string[];
    };
    expect(Object.keys(schema.properties).length).toBeGreaterThan(0);
    for (const field of Object.values(schema.properties)) expect(field.description).toBeTruthy();
    for (const name of schema.required ?? []) expect(schema.properties[name]?.['x-ask']).toBeTruthy();
    expect({{identifier}}.examples.length).toBeGreaterThan(0);
  });

  it('is registered with the built-ins and compiles to a plan', () => {
    const registry = registerBuiltins(new WorkflowRegistry());
    expect(registry.get({{nameLiteral}})).toBe({{identifier}});
    const plan = compilePlan({ workflow: {{nameLiteral}}, params: { text: 'hello' } }, registry);
    expect(plan.steps.map((s) => [s.workflow, s.node])).toEqual([[{{nameLiteral}}, 'compute']]);
    expect(() => compilePlan({ workflow: {{nameLiteral}}, params: {} }, registry)).toThrow(ValidationError);
  });
});
