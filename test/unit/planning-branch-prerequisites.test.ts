import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../src/planning/compile.js';
import type { ArtifactFacts } from '../../src/planning/facts.js';
import type { Plan, PlanStep } from '../../src/planning/plan.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

/*
 * A prerequisite the planner inserts for a step inside a `condition` branch belongs to that branch: it
 * waits for what the branch waits for and carries the branch's condition, so it is skipped when the
 * branch is not taken. One shared with a step outside the branch (or in the other branch) still runs once,
 * ungated.
 */

const id = (n: number) => `art_00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const RAW_JIL = id(1);
const RAW_CSV = id(2);
const facts: ArtifactFacts = {
  [RAW_JIL]: { artifactId: RAW_JIL, kind: 'jil', name: 'nightly.jil' },
  [RAW_CSV]: { artifactId: RAW_CSV, kind: 'csv', name: 'orders.csv' },
};
const builtins = () => registerBuiltins(new WorkflowRegistry());
const plan = (spec: unknown): Plan => compilePlan(spec, builtins(), { facts });
const entriesOf = (p: Plan, workflow: string): PlanStep[] => p.steps.filter((s) => s.workflow === workflow && s.entry);
const one = (p: Plan, workflow: string): PlanStep => {
  const list = entriesOf(p, workflow);
  expect(list.map((s) => s.instance), `one ${workflow}`).toHaveLength(1);
  return list[0]!;
};
const PARSE = { id: 'parse', workflow: 'jil.parse', params: { jil: RAW_JIL } };
const BIG = { step: 'parse', path: 'jobs', op: 'gt' as const, value: 3 };
const ddl = (dialect: string) => ({ workflow: 'csv.schema_ddl', params: { profileArtifactId: RAW_CSV, dialect } });

describe('prerequisites of a condition branch run only when the branch is taken', () => {
  it('a branch step\'s prerequisite carries the branch condition and waits for the tested step', () => {
    const p = plan({ sequence: [PARSE, { condition: BIG, then: ddl('postgres') }] });
    const profile = one(p, 'csv.profile');
    expect(profile.condition).toEqual({ instance: 'parse', test: BIG, negate: false });
    expect(profile.dependsOn).toEqual(p.steps.filter((s) => s.instance === 'parse' && s.terminal).map((s) => s.id));
    expect(p.prerequisites.map((x) => x.workflow)).toEqual(['csv.profile']);
    // the consumer waits for it and keeps its own condition
    const ddlStep = one(p, 'csv.schema_ddl');
    expect(ddlStep.condition?.negate).toBe(false);
    expect(ddlStep.dependsOn).toEqual(expect.arrayContaining(p.steps.filter((s) => s.instance === profile.instance && s.terminal).map((s) => s.id)));
  });

  it('the else branch gates its own prerequisite with the negated condition', () => {
    const p = plan({ sequence: [PARSE, { condition: BIG, then: { workflow: 'jil.analyze', params: { parsedArtifactId: { $from: 'parse.parsedArtifactId' } } }, else: ddl('bigquery') }] });
    expect(one(p, 'csv.profile').condition).toEqual({ instance: 'parse', test: BIG, negate: true });
  });

  it('a later step of the branch (no condition of its own) still gets a gated prerequisite', () => {
    const p = plan({ sequence: [PARSE, { condition: BIG, then: { sequence: [{ workflow: 'jil.analyze', params: { parsedArtifactId: { $from: 'parse.parsedArtifactId' } } }, ddl('postgres')] } }] });
    expect(one(p, 'csv.schema_ddl').condition).toBeNull();
    expect(one(p, 'csv.profile').condition).toMatchObject({ instance: 'parse', negate: false });
  });

  it('outside any branch a prerequisite stays a root (no condition, no wait)', () => {
    const p = plan({ sequence: [PARSE, ddl('postgres')] });
    expect(one(p, 'csv.profile')).toMatchObject({ condition: null, dependsOn: [] });
  });

  it('shared with a step after the branch: one ungated prerequisite', () => {
    const p = plan({ sequence: [PARSE, { condition: BIG, then: ddl('postgres') }, ddl('snowflake')] });
    expect(one(p, 'csv.profile')).toMatchObject({ condition: null, dependsOn: [] });
    expect(p.prerequisites).toHaveLength(1);
    expect(p.prerequisites[0]!.for.map((f) => f.instance).sort()).toEqual(['csv_schema_ddl', 'csv_schema_ddl_2']);
  });

  it('shared with a step before the branch: the branch reuses the ungated one', () => {
    const p = plan({ sequence: [PARSE, ddl('snowflake'), { condition: { ...BIG, step: 'parse' }, then: ddl('postgres') }] });
    expect(one(p, 'csv.profile')).toMatchObject({ condition: null, dependsOn: [] });
  });

  it('shared by both branches: it runs whichever is taken, so it is ungated, once', () => {
    const p = plan({ sequence: [PARSE, { condition: BIG, then: ddl('postgres'), else: ddl('bigquery') }] });
    expect(one(p, 'csv.profile')).toMatchObject({ condition: null, dependsOn: [] });
  });

  it('shared by two steps of one branch: gated once', () => {
    const p = plan({ sequence: [PARSE, { condition: BIG, then: { parallel: [ddl('postgres'), ddl('bigquery')] } }] });
    expect(one(p, 'csv.profile').condition).toMatchObject({ negate: false });
  });

  it('nested branches: shared by the inner and the outer branch → gated by the outer one only', () => {
    const inner = { condition: { step: 'parse', path: 'boxes', op: 'gt' as const, value: 0 }, then: ddl('bigquery') };
    const p = plan({ sequence: [PARSE, { condition: BIG, then: { parallel: [inner, ddl('postgres')] } }] });
    expect(one(p, 'csv.profile').condition).toEqual({ instance: 'parse', test: BIG, negate: false });
    // inner only → the inner condition
    const q = plan({ sequence: [PARSE, { condition: BIG, then: inner }] });
    expect(one(q, 'csv.profile').condition).toMatchObject({ test: { path: 'boxes' } });
  });
});
