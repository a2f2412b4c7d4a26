import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addCustomEntry, parseCustomIndex, renderCustomIndex } from '../../src/cli/dataops-workflow/custom-index.js';
import { formatList, sortCapabilities } from '../../src/cli/dataops-workflow/list-command.js';
import { parseWorkflowName } from '../../src/cli/dataops-workflow/names.js';
import { renderTemplate } from '../../src/cli/dataops-workflow/render-template.js';
import { renderWorkflowsDoc, slug } from '../../src/cli/dataops-workflow/render-docs.js';
import { sampleParams } from '../../src/cli/dataops-workflow/sample-params.js';
import { renderWorkflowFiles } from '../../src/cli/dataops-workflow/scaffold.js';
import { schemaType } from '../../src/cli/dataops-workflow/schema-type.js';
import { validateRegistry } from '../../src/cli/dataops-workflow/validate-registry.js';
import { ConflictError } from '../../src/errors/conflict-error.js';
import { ValidationError } from '../../src/errors/validation-error.js';
import { artifactParam, defineWorkflow, param } from '../../src/workflows/define-workflow.js';
import { inputJsonSchema, WorkflowRegistry } from '../../src/workflows/registry.js';

describe('renderTemplate', () => {
  it('fills every placeholder', () => {
    expect(renderTemplate('a {{x}} b {{y}} {{x}}', { x: '1', y: '$&' })).toBe('a 1 b $& 1');
  });
  it('refuses a placeholder without a value and a value without a placeholder', () => {
    expect(() => renderTemplate('{{x}} {{z}}', { x: '1' })).toThrow(/without a value: z/);
    expect(() => renderTemplate('{{x}}', { x: '1', extra: '2' })).toThrow(/no placeholder uses: extra/);
  });
});

describe('renderWorkflowFiles', () => {
  const naming = parseWorkflowName('etl.delete');
  const description = `Deletes "rows" it's told to; a \\ path */ and \${x} survive.`;
  const files = renderWorkflowFiles(naming, description);
  const byPath = Object.fromEntries(files.map((f) => [f.path, f.content]));

  it('renders the workflow, its test and its docs page at the mapped paths', () => {
    expect(files.map((f) => f.path)).toEqual([
      'src/workflows/custom/etl/delete.ts',
      'test/unit/workflows/etl.delete.test.ts',
      'docs/workflows/etl.delete.md',
    ]);
    for (const f of files) expect(f.content).not.toMatch(/\{\{\w+\}\}/);
  });

  it('the workflow module uses the kit and escapes the description into a literal', () => {
    const src = byPath['src/workflows/custom/etl/delete.ts']!;
    expect(src).toContain("export const etlDeleteWorkflow = defineWorkflow({");
    expect(src).toContain("name: 'etl.delete',");
    expect(src).toContain('withArtifacts(');
    expect(src).toMatch(/ask: '.+'/);
    expect(src).toContain('summarize:');
    const literal = /\n  description: ('(?:[^'\\]|\\.)*'),\n/.exec(src)?.[1];
    expect(literal && new Function(`return ${literal};`)()).toBe(description);
    // the description in the header comment cannot end the comment early
    expect(src.split('*/')[0]).toContain('a \\ path * / and');
  });

  it('the test imports the workflow and checks registration and compilePlan', () => {
    const test = byPath['test/unit/workflows/etl.delete.test.ts']!;
    expect(test).toContain("from '../../../src/workflows/custom/etl/delete.js'");
    expect(test).toContain('registerBuiltins(new WorkflowRegistry())');
    expect(test).toContain('compilePlan(');
    expect(test).toContain("describe('etl.delete'");
  });

  it('the docs page names the workflow, its description and its parameters', () => {
    const md = byPath['docs/workflows/etl.delete.md']!;
    expect(md.startsWith('# Delete (`etl.delete`)\n')).toBe(true);
    expect(md).toContain(description);
    expect(md).toContain('| `text` | string (1–100000 characters) | yes |');
  });
});

describe('custom index', () => {
  const a = { name: 'alpha.one', identifier: 'alphaOneWorkflow' };
  const b = { name: 'beta.two', identifier: 'betaTwoWorkflow' };

  it('renders sorted imports and registrations and reads them back', () => {
    const text = renderCustomIndex([b, a]);
    expect(text).toBe(renderCustomIndex([a, b]));
    expect(text.indexOf("import { alphaOneWorkflow } from './alpha/one.js';")).toBeLessThan(text.indexOf('betaTwoWorkflow } from'));
    expect(text).toContain('  registry.register(alphaOneWorkflow);\n  registry.register(betaTwoWorkflow);\n  return registry;');
    expect(parseCustomIndex(text)).toEqual([a, b]);
    expect(parseCustomIndex(renderCustomIndex([]))).toEqual([]);
  });

  it('refuses a hand-edited index', () => {
    const text = renderCustomIndex([a]);
    expect(() => parseCustomIndex(text.replace('  return registry;', '  registry.register(other);\n  return registry;'))).toThrow(ConflictError);
    expect(() => parseCustomIndex(`${text}// note\n`)).toThrow(/edited by hand/);
  });

  it('refuses a duplicate name or export identifier', () => {
    expect(() => addCustomEntry([a], { ...a })).toThrow(/already registered/);
    expect(() => addCustomEntry([{ name: 'a_b.c', identifier: 'aBCWorkflow' }], { name: 'a.b_c', identifier: 'aBCWorkflow' })).toThrow(/would export aBCWorkflow/);
    expect(addCustomEntry([b], a)).toEqual([a, b]);
  });
});

/** A small registry with one workflow of each shape the docs and validator must handle. */
function sampleRegistry(order: 'forward' | 'reverse' = 'forward'): WorkflowRegistry {
  const good = defineWorkflow({
    name: 'demo.report',
    description: 'Writes a report | with a pipe.',
    examples: ['write a report'],
    input: z.object({
      source: artifactParam({ description: 'The data to report on.', ask: 'Which file?' }),
      title: param(z.string().min(1).max(80), { description: 'Report title.', ask: 'What title?' }),
      format: param(z.enum(['markdown', 'text']).default('markdown'), { description: 'Output format.' }),
      limit: param(z.number().int().min(1).max(100).optional(), { description: 'Row limit.' }),
    }),
    output: z.object({ ok: z.boolean() }),
    tags: ['demo'],
    nodes: {
      load: { run: async () => ({}) },
      write: { after: ['load'], run: async () => ({ ok: true }), onFailure: 'ignore' },
      extra: { after: ['load'], when: () => false, run: async () => ({}) },
    },
  });
  const other = defineWorkflow({
    name: 'demo.count',
    description: 'Counts things.',
    examples: ['count'],
    input: z.object({ n: param(z.number(), { description: 'How many.', ask: 'How many?' }) }),
    output: z.object({}),
    nodes: { count: { run: async () => ({}) } },
  });
  const r = new WorkflowRegistry();
  for (const w of order === 'forward' ? [good, other] : [other, good]) r.register(w);
  r.registerChain({
    name: 'demo.count_then_report',
    description: 'Counts, then reports.',
    examples: ['count and report'],
    input: z.object({ n: param(z.number(), { description: 'How many.', ask: 'How many?' }) }),
    spec: { sequence: [{ workflow: 'demo.count' }, { workflow: 'demo.report', params: { source: 'art_x', title: 't' } }] },
  });
  return r;
}

describe('renderWorkflowsDoc', () => {
  it('is deterministic and independent of registration order', () => {
    const doc = renderWorkflowsDoc(sampleRegistry('forward'));
    expect(renderWorkflowsDoc(sampleRegistry('forward'))).toBe(doc);
    expect(renderWorkflowsDoc(sampleRegistry('reverse'))).toBe(doc);
  });

  it('documents every workflow and chain with a parameters table and nodes', () => {
    const doc = renderWorkflowsDoc(sampleRegistry());
    expect(doc.startsWith('# Workflows\n')).toBe(true);
    expect(doc).toContain('2 workflows and 1 chain.');
    expect(doc).toContain('| [`demo.report`](#demoreport) | workflow | Writes a report \\| with a pipe. |');
    expect(doc.indexOf('## `demo.count`')).toBeLessThan(doc.indexOf('## `demo.count_then_report`'));
    expect(doc.indexOf('## `demo.count_then_report`')).toBeLessThan(doc.indexOf('## `demo.report`'));
    expect(doc).toContain('| `source` | artifact id | yes |  | The data to report on. | Which file? |');
    expect(doc).toContain('| `title` | string (1–80 characters) | yes |  | Report title. | What title? |');
    expect(doc).toContain('| `format` | "markdown" \\| "text" | no | `"markdown"` | Output format. |  |');
    expect(doc).toContain('| `limit` | integer (1–100) | no |  | Row limit. |  |');
    expect(doc).toContain('1. `load`\n2. `write` — after `load`; a failure does not stop the run\n3. `extra` — after `load`; runs only when its condition holds');
    expect(doc).toContain('- Tags: `demo`');
    expect(doc).toContain('**Runs**: [`demo.count`](#democount), [`demo.report`](#demoreport)');
    expect(doc).toContain('"workflow": "demo.count"');
  });

  it('says so when nothing is registered', () => {
    expect(renderWorkflowsDoc(new WorkflowRegistry())).toContain('No workflows are registered yet');
  });

  it('slugs like GitHub headings', () => {
    expect(slug('custom.demo_thing')).toBe('customdemo_thing');
  });
});

describe('schemaType and sampleParams', () => {
  const schema = inputJsonSchema(
    z.object({
      a: z.number().int(),
      b: z.number().positive(),
      c: z.array(z.string()).min(2),
      d: z.enum(['x', 'y']).nullable(),
      e: z.iso.datetime(),
      f: z.string().min(10),
      g: artifactParam({ description: 'x' }),
      h: z.boolean().optional(),
      i: z.array(z.union([z.string(), z.number()])),
    }),
  ) as { properties: Record<string, Record<string, unknown>> };

  it('describes types without zod’s safe-integer bounds or format patterns', () => {
    const t = (k: string) => schemaType(schema.properties[k]!);
    expect(t('a')).toBe('integer');
    expect(t('b')).toBe('number (> 0)');
    expect(t('c')).toBe('string[] (at least 2 items)');
    expect(t('d')).toBe('"x" | "y" | null');
    expect(t('e')).toBe('string, date-time');
    expect(t('g')).toBe('artifact id');
    expect(t('i')).toBe('(string | number)[]');
  });

  it('builds required parameters the schema accepts', () => {
    const zodSchema = z.object({
      a: z.number().int(),
      b: z.number().positive(),
      c: z.array(z.string()).min(2),
      d: z.enum(['x', 'y']).nullable(),
      e: z.iso.datetime(),
      f: z.string().min(10),
      g: artifactParam({ description: 'x' }),
      h: z.boolean().optional(),
    });
    const params = sampleParams(inputJsonSchema(zodSchema));
    expect(Object.keys(params).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(zodSchema.safeParse(params).success).toBe(true);
  });
});

describe('validateRegistry', () => {
  it('passes a registry whose workflows are complete', () => {
    const report = validateRegistry(sampleRegistry());
    expect(report).toEqual({ workflows: 2, chains: 1, problems: [], warnings: [] });
  });

  it('lists each problem by name: no examples, undescribed field, required field without x-ask', () => {
    const r = new WorkflowRegistry();
    r.register(
      defineWorkflow({
        name: 'bad.one',
        description: ' ',
        examples: [],
        input: z.object({ x: z.string(), y: param(z.number(), { description: 'y' }), z: param(z.number().optional(), { description: 'z' }) }),
        output: z.object({}),
        nodes: { a: { run: async () => ({}) } },
      }),
    );
    const report = validateRegistry(r);
    expect(report.problems).toEqual([
      'bad.one: no examples (the router needs at least one request a user might type)',
      'bad.one: parameter "x" has no description',
      expect.stringMatching(/^bad\.one: required parameter "x" has no x-ask/),
      expect.stringMatching(/^bad\.one: required parameter "y" has no x-ask/),
      'bad.one: the description is empty',
    ]);
  });

  it('reports a hand-built workflow with a bad name and a cyclic order', () => {
    const ok = defineWorkflow({
      name: 'fine.one',
      description: 'd',
      examples: ['e'],
      input: z.object({}),
      output: z.object({}),
      nodes: { a: { run: async () => ({}) }, b: { after: ['a'], run: async () => ({}) } },
    });
    const broken = { ...ok, name: 'Bad Name', nodes: { a: { after: ['b'], run: async () => ({}) }, b: { after: ['a'], run: async () => ({}) } } };
    const r = new WorkflowRegistry().register(broken as never);
    const problems = validateRegistry(r).problems.join('\n');
    expect(problems).toContain('Bad Name: the name must look like area.action');
    expect(problems).toMatch(/Bad Name: node "a" runs after "b", which does not come first/);
  });

  it('warns (without failing) when it cannot find sample parameters', () => {
    const r = new WorkflowRegistry().register(
      defineWorkflow({
        name: 'odd.one',
        description: 'd',
        examples: ['e'],
        input: z.object({ code: param(z.string().regex(/^[A-Z]{3}$/), { description: 'c', ask: 'Which code?' }) }),
        output: z.object({}),
        nodes: { a: { run: async () => ({}) } },
      }),
    );
    const report = validateRegistry(r);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([expect.stringMatching(/^odd\.one: not compiled: no sample parameters/)]);
  });
});

describe('formatList', () => {
  it('prints name, kind and description columns and a count', () => {
    const text = formatList(sortCapabilities(sampleRegistry().capabilities()));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+DESCRIPTION$/);
    expect(lines[1]).toMatch(/^demo\.count\s+workflow\s+Counts things\.$/);
    expect(lines[2]).toMatch(/^demo\.count_then_report\s+chain\s+Counts, then reports\.$/);
    expect(text).toContain('2 workflows, 1 chain');
  });
});

it('ValidationError is what bad templates throw', () => {
  expect(() => renderTemplate('{{nope}}', {})).toThrow(ValidationError);
});
