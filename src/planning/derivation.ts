import { createHash } from 'node:crypto';
import { ARTIFACT_ID_PATTERN } from '../artifacts/artifact.js';
import type { Derivation } from '../artifacts/artifact-kind.js';
import type { Workflow } from '../workflows/define-workflow.js';
import { declOf } from './declarations.js';

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * Where an output of `wf` run on `input` comes from: the artifact ids its artifact parameters name
 * (sorted) and a SHA-256 of its other declared parameters. Only declared fields count, so the
 * same request gives the same derivation whatever else the state carries. The planner computes it
 * for a prerequisite it would insert; the node runner for what a node stores; equal derivations
 * mean the stored artifact can be reused.
 */
export function derivationOf(wf: Workflow, input: Record<string, unknown>): Derivation {
  const decl = declOf(wf);
  const artifactFields = new Set(decl.artifactParams.map((p) => p.name));
  const inputs = new Set<string>();
  const rest: Record<string, unknown> = {};
  for (const field of decl.fields) {
    const v = input[field];
    if (v === undefined) continue;
    if (artifactFields.has(field) && typeof v === 'string' && ARTIFACT_ID_PATTERN.test(v)) inputs.add(v);
    else rest[field] = v;
  }
  return {
    workflow: wf.name,
    inputs: [...inputs].sort(),
    paramsHash: createHash('sha256').update(canonicalJson(rest)).digest('hex'),
  };
}

/** True when two derivations name the same workflow, inputs and parameters. */
export function sameDerivation(a: Derivation | null | undefined, b: Derivation): boolean {
  return Boolean(a) && a!.workflow === b.workflow && a!.paramsHash === b.paramsHash && a!.inputs.join(',') === b.inputs.join(',');
}
