import type { Workflow } from '../workflows/define-workflow.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { declOf } from './declarations.js';

/** One producer on the way from the kind an artifact has to the kind a parameter accepts. */
export interface Hop {
  workflow: Workflow;
  /** Its artifact parameter that takes the previous kind. */
  inParam: string;
  /** Its output field holding the artifact of `kind`. */
  outField: string;
  kind: string;
}

interface Producer {
  workflow: Workflow;
  inParam: string;
  /** Other parameters it requires: the consumer must give each one (they are handed on). */
  otherRequired: readonly string[];
  outputs: { field: string; kind: string }[];
}

/** Longest chain of producers the planner inserts for one parameter. */
export const MAX_HOPS = 4;

const index = new WeakMap<WorkflowRegistry, { size: number; byAccepted: Map<string, Producer[]> }>();

/**
 * Producers by the kind they accept, from the declarations only: a workflow with an artifact
 * parameter that declares `accepts` and a `produces` entry whose output field holds one id.
 */
function producersByAccepted(registry: WorkflowRegistry): Map<string, Producer[]> {
  const list = registry.list();
  const hit = index.get(registry);
  if (hit && hit.size === list.length) return hit.byAccepted;
  const byAccepted = new Map<string, Producer[]>();
  for (const wf of list) {
    const outShape = (wf.output as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
    const outputs = Object.entries(wf.produces)
      // only fields that hold one artifact id can feed an artifact parameter
      .filter(([field]) => !outShape?.[field] || outShape[field]!.safeParse('art_x').success)
      .map(([field, kind]) => ({ field, kind }));
    if (outputs.length === 0) continue;
    const decl = declOf(wf);
    for (const p of decl.artifactParams) {
      if (!p.accepts) continue;
      const producer: Producer = { workflow: wf, inParam: p.name, otherRequired: decl.required.filter((r) => r !== p.name), outputs };
      for (const k of p.accepts) {
        const arr = byAccepted.get(k) ?? [];
        arr.push(producer);
        byAccepted.set(k, arr);
      }
    }
  }
  index.set(registry, { size: list.length, byAccepted });
  return byAccepted;
}

/**
 * The shortest chain of producers that turns an artifact of kind `from` into one of the kinds in
 * `to` (breadth-first over the declarations; ties go to the first workflow by name), or null when
 * none exists within MAX_HOPS. `given` are the consumer's parameters: a producer that requires a
 * parameter the consumer does not give is not used.
 */
export function findRoute(registry: WorkflowRegistry, from: string, to: readonly string[], given: Record<string, unknown>): Hop[] | null {
  const byAccepted = producersByAccepted(registry);
  const goal = new Set(to);
  const seen = new Set([from]);
  let frontier: { kind: string; path: Hop[] }[] = [{ kind: from, path: [] }];
  for (let depth = 0; depth < MAX_HOPS && frontier.length; depth++) {
    const next: { kind: string; path: Hop[] }[] = [];
    for (const { kind, path } of frontier) {
      for (const p of byAccepted.get(kind) ?? []) {
        if (!p.otherRequired.every((r) => given[r] !== undefined)) continue;
        for (const out of p.outputs) {
          const hop: Hop = { workflow: p.workflow, inParam: p.inParam, outField: out.field, kind: out.kind };
          if (goal.has(out.kind)) return [...path, hop];
          if (!seen.has(out.kind)) {
            seen.add(out.kind);
            next.push({ kind: out.kind, path: [...path, hop] });
          }
        }
      }
    }
    frontier = next;
  }
  return null;
}

/** The kinds some registered workflow produces (for messages: "nothing makes X"). */
export function producibleKinds(registry: WorkflowRegistry): Set<string> {
  return new Set(registry.list().flatMap((w) => Object.values(w.produces)));
}
