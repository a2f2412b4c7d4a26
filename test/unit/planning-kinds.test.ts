import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { guessKind } from '../../src/artifacts/artifact-kind.js';
import { fromItem, toItem } from '../../src/artifacts/item-codec.js';
import { NotFoundError } from '../../src/errors/not-found-error.js';
import { ValidationError } from '../../src/errors/validation-error.js';
import { artifactIdsIn } from '../../src/planning/artifact-refs.js';
import { compilePlan } from '../../src/planning/compile.js';
import { compoundSpec, planCompound } from '../../src/planning/compound.js';
import { derivationOf } from '../../src/planning/derivation.js';
import type { ArtifactFacts } from '../../src/planning/facts.js';
import { findRoute } from '../../src/planning/prerequisites.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { artifactParam, defineWorkflow } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

const id = (n: number) => `art_00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const RAW_JIL = id(1);
const RAW_CSV = id(2);
const PARSED = id(3);
const PROFILE = id(4);
const PNG = id(5);

const builtins = () => registerBuiltins(new WorkflowRegistry());
const facts: ArtifactFacts = {
  [RAW_JIL]: { artifactId: RAW_JIL, kind: 'jil', name: 'nightly.jil' },
  [RAW_CSV]: { artifactId: RAW_CSV, kind: 'csv', name: 'orders.csv' },
  [PARSED]: { artifactId: PARSED, kind: 'jil.parsed', name: 'nightly.parsed.json' },
  [PROFILE]: { artifactId: PROFILE, kind: 'csv.profile', name: 'profile.json' },
  [PNG]: { artifactId: PNG, kind: 'binary', name: 'diagram.png' },
};
const workflowsOf = (p: { steps: { instance: string; workflow: string }[] }) => [...new Set(p.steps.map((s) => `${s.instance}:${s.workflow}`))];

describe('artifact kinds', () => {
  it('guesses jil and csv from names and content, json/text/binary otherwise', () => {
    expect(guessKind({ name: 'nightly.jil' })).toBe('jil');
    expect(guessKind({ name: 'export.txt', head: '/* box */\ninsert_job: a   job_type: c\ncommand: x\n' })).toBe('jil');
    expect(guessKind({ name: 'orders.csv' })).toBe('csv');
    expect(guessKind({ mimeType: 'text/csv' })).toBe('csv');
    expect(guessKind({ name: null, head: 'id;name;amount\n1;a;2\n2;b;3\n' })).toBe('csv');
    expect(guessKind({ name: 'notes.txt', head: 'just some words,\nand more words here\n' })).toBe('text');
    expect(guessKind({ contentType: 'json' })).toBe('json');
    expect(guessKind({ name: 'x.bin', head: new Uint8Array([0x89, 0x50, 0, 1, 2]) })).toBe('binary');
    expect(guessKind({ contentType: 'binary' })).toBe('binary');
    // the bytes win over the name: a PNG or an executable renamed .jil / .csv is binary
    expect(guessKind({ name: 'export.jil', head: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1]) })).toBe('binary');
    expect(guessKind({ name: 'orders.csv', head: '\u0000ELF\u0002\u0001' })).toBe('binary');
    expect(guessKind({ name: 'empty.jil', head: '' })).toBe('jil');
  });

  it('items stored before kinds existed read with a guessed kind and no derivation; new ones round-trip', () => {
    const old = { artifactId: RAW_JIL, sessionId: 's', workflowName: 'upload', artifactType: 'data', s3Key: 'k', contentType: 'text', mimeType: 'text/plain', sizeBytes: 1, sha256: 'a'.repeat(64), createdAt: 'x', createdBy: 'u', accessCount: 0, lastAccessed: 'x', tags: {}, name: 'nightly.jil' };
    expect(fromItem(old)).toMatchObject({ kind: 'jil', derivation: null });
    expect(fromItem({ ...old, name: 'orders.csv' }).kind).toBe('csv');
    expect(fromItem({ ...old, name: null, contentType: 'json' }).kind).toBe('json');
    const derivation = { workflow: 'jil.parse', inputs: [RAW_JIL], paramsHash: 'b'.repeat(64) };
    const fresh = fromItem({ ...old, kind: 'jil.parsed', derivation });
    expect(fromItem(toItem(fresh))).toEqual(fresh);
  });

  it('finds every artifact id in a spec, at any depth, once', () => {
    let deep: unknown = { workflow: 'x', params: { a: RAW_JIL } };
    for (let i = 0; i < 5000; i++) deep = { sequence: [deep] };
    expect(artifactIdsIn({ parallel: [deep, { workflow: 'y', params: { b: [RAW_CSV, RAW_JIL, 'art_bad'] } }] })).toEqual([RAW_JIL, RAW_CSV]);
  });
});

describe('prerequisites from declarations', () => {
  it('raw JIL to jil.to_airflow plans jil.parse → jil.to_airflow', () => {
    const p = compilePlan({ workflow: 'jil.to_airflow', params: { parsedArtifactId: RAW_JIL } }, builtins(), { facts });
    expect(workflowsOf(p)).toEqual(['jil_parse:jil.parse', 'jil_to_airflow:jil.to_airflow']);
    const convert = p.steps.find((s) => s.instance === 'jil_to_airflow')!;
    expect(convert.params.parsedArtifactId).toEqual({ $from: 'jil_parse.parsedArtifactId' });
    expect(convert.dependsOn).toEqual(['jil_parse.parse']);
    expect(p.prerequisites).toEqual([
      { instance: 'jil_parse', workflow: 'jil.parse', from: RAW_JIL, kind: 'jil.parsed', for: [{ instance: 'jil_to_airflow', param: 'parsedArtifactId' }] },
    ]);
  });

  it('raw CSV to csv.schema_ddl plans csv.profile → csv.schema_ddl; a profile needs nothing', () => {
    const p = compilePlan({ workflow: 'csv.schema_ddl', params: { profileArtifactId: RAW_CSV, dialect: 'postgres' } }, builtins(), { facts });
    expect(workflowsOf(p)[0]).toBe('csv_profile:csv.profile');
    expect(p.prerequisites.map((x) => x.workflow)).toEqual(['csv.profile']);
    const direct = compilePlan({ workflow: 'csv.schema_ddl', params: { profileArtifactId: PROFILE, dialect: 'postgres' } }, builtins(), { facts });
    expect(direct.prerequisites).toEqual([]);
    expect(workflowsOf(direct)).toEqual(['csv_schema_ddl:csv.schema_ddl']);
  });

  it('shares one prerequisite between steps that need the same one', () => {
    const spec = { parallel: [{ workflow: 'jil.analyze', params: { parsedArtifactId: RAW_JIL } }, { workflow: 'jil.to_airflow', params: { parsedArtifactId: RAW_JIL } }] };
    const p = compilePlan(spec, builtins(), { facts });
    expect(p.steps.filter((s) => s.workflow === 'jil.parse')).toHaveLength(1);
    expect(p.prerequisites[0]!.for.map((f) => f.instance)).toEqual(['jil_analyze', 'jil_to_airflow']);
    expect(p.mode).toBe('coordinator');
  });

  it('a kind nothing can produce is a ValidationError naming the step, the kinds and the artifact', () => {
    const run = () => compilePlan({ workflow: 'jil.to_airflow', params: { parsedArtifactId: PNG } }, builtins(), { facts });
    expect(run).toThrow(ValidationError);
    try {
      run();
    } catch (err) {
      expect((err as ValidationError).message).toMatch(/jil\.to_airflow needs jil\.parsed .* for parsedArtifactId, but .*diagram\.png.* is binary/);
      expect((err as ValidationError).details).toMatchObject({ param: 'parsedArtifactId', kind: 'binary', accepts: ['jil.parsed'] });
    }
    // a CSV where a JIL is needed: csv.profile takes it, but nothing leads on to jil.parsed
    expect(() => compilePlan({ workflow: 'jil.analyze', params: { parsedArtifactId: RAW_CSV } }, builtins(), { facts })).toThrow(/no workflow turns csv into jil\.parsed/);
  });

  it('malformed artifact ids are a ValidationError, unknown ones a NotFoundError', () => {
    expect(() => compilePlan({ workflow: 'jil.to_airflow', params: { parsedArtifactId: 'art_nope' } }, builtins(), { facts })).toThrow(ValidationError);
    expect(() => compilePlan({ workflow: 'jil.to_airflow', params: { parsedArtifactId: id(99) } }, builtins(), { facts })).toThrow(NotFoundError);
    // inline JIL text is not an id
    expect(() => compilePlan({ workflow: 'jil.parse', params: { jil: 'insert_job: a job_type: c' } }, builtins(), { facts })).not.toThrow();
  });

  it('reuses a derived artifact of the same source and parameters instead of the prerequisite', () => {
    const r = builtins();
    const derivation = derivationOf(r.get('jil.parse'), { jil: RAW_JIL });
    const withParsed: ArtifactFacts = {
      ...facts,
      [RAW_JIL]: { ...facts[RAW_JIL]!, derived: [id(10), id(11)] },
      [id(10)]: { artifactId: id(10), kind: 'jil.parsed', name: 'old', derivation: { ...derivation, paramsHash: 'f'.repeat(64) } },
      [id(11)]: { artifactId: id(11), kind: 'jil.parsed', name: 'nightly.parsed.json', derivation },
    };
    const p = compilePlan({ workflow: 'jil.to_airflow', params: { parsedArtifactId: RAW_JIL } }, r, { facts: withParsed });
    expect(workflowsOf(p)).toEqual(['jil_to_airflow:jil.to_airflow']);
    expect(p.steps[0]!.params.parsedArtifactId).toBe(id(11));
    expect(p.reused).toEqual([{ instance: 'jil_to_airflow', param: 'parsedArtifactId', from: RAW_JIL, artifactId: id(11), kind: 'jil.parsed', workflow: 'jil.parse' }]);
  });

  it('uses only declarations: a custom workflow that declares kinds gets the same treatment, over two hops', () => {
    const r = builtins();
    const wf = (name: string, accepts: string, produces: string) =>
      defineWorkflow({
        name,
        description: name,
        examples: [name],
        input: z.object({ input: artifactParam({ description: 'in', ask: 'which?', accepts: [accepts] }) }),
        output: z.object({ outId: z.string() }),
        produces: { outId: produces },
        nodes: { run: { run: async () => ({ outId: 'art_x' }) } },
      });
    r.register(wf('demo.bronze', 'binary', 'demo.silver')).register(wf('demo.silver', 'demo.silver', 'demo.gold')).register(wf('demo.gold', 'demo.gold', 'demo.done'));
    expect(findRoute(r, 'binary', ['demo.gold'], {})!.map((h) => h.workflow.name)).toEqual(['demo.bronze', 'demo.silver']);
    const p = compilePlan({ workflow: 'demo.gold', params: { input: PNG } }, r, { facts });
    expect(workflowsOf(p)).toEqual(['demo_bronze:demo.bronze', 'demo_silver:demo.silver', 'demo_gold:demo.gold']);
    expect(p.steps.find((s) => s.instance === 'demo_silver')!.params.input).toEqual({ $from: 'demo_bronze.outId' });
  });
});

describe('whole-run validation', () => {
  it('a registered chain missing a parameter its later step needs (dialect) is a 400 before anything runs', () => {
    expect(() => compilePlan({ workflow: 'csv.pipeline', params: { source: RAW_CSV } }, builtins(), { facts })).toThrow(/missing dialect/);
    expect(() => compilePlan({ workflow: 'csv.pipeline', params: { source: RAW_CSV, dialect: 'oracle' } }, builtins(), { facts })).toThrow(ValidationError);
    expect(() => compilePlan({ workflow: 'csv.pipeline', params: { source: RAW_CSV, dialect: 'postgres', bogus: 1 } }, builtins(), { facts })).toThrow(ValidationError);
    expect(compilePlan({ workflow: 'csv.pipeline', params: { source: RAW_CSV, dialect: 'postgres' } }, builtins(), { facts }).steps.length).toBeGreaterThan(2);
  });

  it('checks every step of a nested spec, not only the first', () => {
    const spec = { sequence: [{ workflow: 'csv.profile', params: { source: RAW_CSV } }, { parallel: [{ workflow: 'csv.schema_ddl', params: { dialect: 'oracle' } }] }] };
    expect(() => compilePlan(spec, builtins(), { facts })).toThrow(/invalid parameters for step "csv_schema_ddl"/);
    const deep = { sequence: [{ workflow: 'csv.profile', params: { source: RAW_CSV } }, { parallel: [{ workflow: 'jil.to_airflow', params: { parsedArtifactId: RAW_CSV } }] }] };
    expect(() => compilePlan(deep, builtins(), { facts })).toThrow(/no workflow turns csv into jil\.parsed/);
  });

  it('rejects a spec nested deeper than the limit with a ValidationError, not a stack overflow', () => {
    let deep: unknown = { workflow: 'csv.profile', params: { source: RAW_CSV } };
    for (let i = 0; i < 20_000; i++) deep = { sequence: [deep] };
    expect(() => compilePlan(deep, builtins(), { facts })).toThrow(/nests more than/);
  });
});

describe('compound requests', () => {
  it('several intents make one plan; an explicit parse is the prerequisite the others share', () => {
    const intents = [
      { workflow: 'jil.parse', params: { jil: RAW_JIL } },
      { workflow: 'jil.analyze', params: { parsedArtifactId: RAW_JIL } },
      { workflow: 'jil.to_airflow', params: { parsedArtifactId: RAW_JIL } },
    ];
    const { plan } = planCompound(intents, builtins(), { facts });
    expect(plan.steps.filter((s) => s.workflow === 'jil.parse')).toHaveLength(1);
    expect(Object.keys(plan.instances)).toEqual(['jil_parse', 'jil_analyze', 'jil_to_airflow']);
    expect(plan.steps.find((s) => s.instance === 'jil_to_airflow')!.dependsOn).toEqual(['jil_parse.parse']);
  });

  it('a later intent without its artifact reads the earlier intent that produces its kind', () => {
    const { spec } = compoundSpec(
      [
        { workflow: 'csv.profile', params: { source: RAW_CSV } },
        { workflow: 'csv.schema_ddl', params: { dialect: 'snowflake' } },
      ],
      builtins(),
    );
    expect(spec).toEqual({
      dag: [
        { id: 'csv_profile', workflow: 'csv.profile', params: { source: RAW_CSV }, dependsOn: [] },
        { id: 'csv_schema_ddl', workflow: 'csv.schema_ddl', params: { dialect: 'snowflake', profileArtifactId: { $from: 'csv_profile.profileArtifactId' } }, dependsOn: ['csv_profile'] },
      ],
    });
    expect(compilePlan(spec, builtins(), { facts }).steps.length).toBeGreaterThanOrEqual(2);
  });

  it('chains are named shortcuts inside a compound request, and two of them do not collide', () => {
    const { plan } = planCompound(
      [
        { workflow: 'csv.pipeline', params: { source: RAW_CSV, dialect: 'postgres' } },
        { workflow: 'jil.pipeline', params: { jil: RAW_JIL } },
        { workflow: 'jil.pipeline', params: { jil: RAW_JIL } },
      ],
      builtins(),
      { facts },
    );
    expect(Object.keys(plan.instances)).toContain('csv_pipeline_profile');
    expect(Object.keys(plan.instances)).toContain('jil_pipeline_2_parse');
  });
});

describe('bounded compilation', () => {
  it('compiles a 5,000-step sequence (linear passes) and enforces the step cap', () => {
    const r = new WorkflowRegistry();
    r.register(defineWorkflow({ name: 'x.step', description: 'x', examples: ['x'], input: z.object({}), output: z.object({ n: z.number().optional() }), nodes: { run: { run: async () => ({}) } } }));
    const spec = { sequence: Array.from({ length: 5000 }, () => ({ workflow: 'x.step' })) };
    const p = compilePlan(spec, r, { maxSteps: 5000 });
    expect(p.steps).toHaveLength(5000);
    expect(p.steps[4999]!.id).toBe('x_step_5000.run');
    expect(p.steps[4999]!.dependsOn).toEqual(['x_step_4999.run']);
    expect(() => compilePlan(spec, r, { maxSteps: 4999 })).toThrow(/more than 4999 steps/);
    expect(() => compilePlan(spec, r)).toThrow(/more than 1000 steps/);
  });
});
