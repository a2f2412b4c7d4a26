import type { NodeResult, RunResult } from './job-data.js';
import { fromRefs } from '../planning/plan.js';

/** Merges dependency results in order: later states win, outputs and artifacts accumulate. */
export function mergeResults(results: NodeResult[], extraFailed: { step: string; error: string }[] = [], extraSkipped: string[] = []): RunResult {
  const state: Record<string, unknown> = {};
  const outputs: Record<string, Record<string, unknown>> = {};
  const artifacts = new Set<string>();
  const failed = new Map<string, string>();
  const skipped = new Set<string>(extraSkipped);
  for (const r of results) {
    Object.assign(state, r.state);
    for (const inst in r.outputs) outputs[inst] = Object.assign(outputs[inst] ?? {}, r.outputs[inst]);
    for (const a of r.allArtifacts) artifacts.add(a);
    for (const f of r.failed) failed.set(f.step, f.error);
    for (const s of r.skipped) skipped.add(s);
  }
  for (const f of extraFailed) failed.set(f.step, f.error);
  return {
    state,
    outputs,
    allArtifacts: [...artifacts],
    failed: [...failed].map(([step, error]) => ({ step, error })),
    skipped: [...skipped],
  };
}

/** Reads a dot path (`a.b.0.c`) from a value; undefined when any part is missing. */
export function readPath(value: unknown, path: string): unknown {
  if (!path) return value;
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Replaces `{ $from: "instance.path" }` params with the value from that instance's output. */
export function resolveParams(params: Record<string, unknown>, outputs: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const refs = fromRefs(params);
  if (refs.length === 0) return params;
  const out = { ...params };
  for (const ref of refs) out[ref.key] = readPath(outputs[ref.instance], ref.path);
  return out;
}

/** Evaluates a spec condition on a value. */
export function testCondition(value: unknown, op: string, expected: unknown): boolean {
  switch (op) {
    case 'exists':
      return value !== undefined && value !== null;
    case 'truthy':
      return Boolean(value);
    case 'eq':
      return JSON.stringify(value) === JSON.stringify(expected);
    case 'ne':
      return JSON.stringify(value) !== JSON.stringify(expected);
    case 'in':
      return Array.isArray(expected) && expected.some((e) => JSON.stringify(e) === JSON.stringify(value));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const a = typeof value === 'number' ? value : Number(value);
      const b = typeof expected === 'number' ? expected : Number(expected);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
    default:
      return false;
  }
}
