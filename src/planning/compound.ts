import { z } from 'zod';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { declOf } from './declarations.js';
import { compilePlan, type CompileOptions } from './compile.js';
import type { Plan } from './plan.js';
import type { DagNode, StepSpec } from './run-spec.js';

/** One thing a user asked for: a workflow or a registered chain, with the parameters found for it. */
export const Intent = z
  .object({
    /** A workflow or chain name from the registry. */
    workflow: z.string().min(1),
    /** Its parameters (artifact ids, dialects, …). Default {}. */
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type Intent = z.input<typeof Intent>;

/** Most intents one compound request may hold. */
export const MAX_INTENTS = 20;

/**
 * Several intents, in the order the user gave them, as ONE run spec:
 *
 * - one intent is just that step (`{ workflow, params }`), so its instance id stays the workflow's;
 * - several are the nodes of one `dag`, with ids from their names (`jil_parse`, `jil_analyze`, a
 *   second one of a name gets `_2`). An intent whose required artifact parameter is missing reads
 *   it from the nearest earlier intent whose workflow produces a kind it accepts (`$from` plus a
 *   dependency): "parse this, then chart it" needs no second attachment.
 *
 * Compile the result with `compilePlan` and the artifact facts: prerequisites that several intents
 * need (the same producer on the same input, or an intent that is itself that producer) run once.
 */
export function compoundSpec(intents: Intent[], registry: WorkflowRegistry): { spec: StepSpec; ids: string[] } {
  const list = z.array(Intent).min(1).max(MAX_INTENTS).parse(intents);
  if (list.length === 1) {
    const only = list[0]!;
    return { spec: { workflow: only.workflow, params: only.params }, ids: [only.workflow.replace(/[^A-Za-z0-9_-]/g, '_')] };
  }
  const used = new Map<string, number>();
  const nodes: DagNode[] = [];
  const made: { id: string; produces: Record<string, string> }[] = [];
  for (const intent of list) {
    const base = intent.workflow.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const id = n === 1 ? base : `${base}_${n}`;
    const params = { ...intent.params };
    const dependsOn: string[] = [];
    if (registry.has(intent.workflow)) {
      const wf = registry.get(intent.workflow);
      for (const p of declOf(wf).artifactParams) {
        if (params[p.name] !== undefined || !p.required || !p.accepts) continue;
        for (let i = made.length - 1; i >= 0; i--) {
          const field = Object.entries(made[i]!.produces).find(([, kind]) => p.accepts!.includes(kind))?.[0];
          if (!field) continue;
          params[p.name] = { $from: `${made[i]!.id}.${field}` };
          if (!dependsOn.includes(made[i]!.id)) dependsOn.push(made[i]!.id);
          break;
        }
      }
      made.push({ id, produces: { ...wf.produces } });
    }
    nodes.push({ id, workflow: intent.workflow, params, dependsOn });
  }
  return { spec: { dag: nodes }, ids: nodes.map((n) => n.id) };
}

/** `compoundSpec` then `compilePlan`: the one plan (one BullMQ flow) for several intents. */
export function planCompound(intents: Intent[], registry: WorkflowRegistry, options: CompileOptions = {}): { spec: StepSpec; plan: Plan } {
  const { spec } = compoundSpec(intents, registry);
  return { spec, plan: compilePlan(spec, registry, options) };
}
