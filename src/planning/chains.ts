import { ValidationError } from '../errors/validation-error.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import type { StepSpec } from './run-spec.js';

/** Deepest nesting of chains inside chains. */
export const MAX_CHAIN_DEPTH = 8;

/**
 * Registered chains used as a step's `workflow` (or a dag node's) are replaced by their spec, with
 * the chain's parameters handed down. A chain's parameters are checked against its schema here
 * (bad values → ValidationError); missing ones are found when the steps are checked.
 */
export function expandChains(spec: StepSpec, registry: WorkflowRegistry, depth = 0): StepSpec {
  if (depth > MAX_CHAIN_DEPTH) throw new ValidationError(`chains nest more than ${MAX_CHAIN_DEPTH} deep`);
  if ('workflow' in spec) {
    const chain = registry.getChain(spec.workflow);
    if (!chain) return spec;
    const given = spec.params ?? {};
    const check = chain.input.partial().strict().safeParse(given);
    if (!check.success) throw new ValidationError(`invalid parameters for ${chain.name}`, { details: check.error.issues });
    return expandChains(withChainParams(chain.spec, given, registry), registry, depth + 1);
  }
  if ('sequence' in spec) return { sequence: spec.sequence.map((s) => expandChains(s, registry, depth)) };
  if ('parallel' in spec) return { parallel: spec.parallel.map((s) => expandChains(s, registry, depth)) };
  if ('condition' in spec) {
    return {
      condition: spec.condition,
      then: expandChains(spec.then, registry, depth),
      ...(spec.else ? { else: expandChains(spec.else, registry, depth) } : {}),
    };
  }
  return spec;
}

/** Hands the chain's parameters to each step whose workflow declares a field of that name. */
export function withChainParams(spec: StepSpec, params: Record<string, unknown>, registry: WorkflowRegistry): StepSpec {
  const forWorkflow = (name: string, own: Record<string, unknown> = {}) => {
    const shape = registry.has(name) ? registry.get(name).input.shape : {};
    const picked = Object.fromEntries(Object.entries(params).filter(([k]) => k in shape));
    return { ...picked, ...own };
  };
  if ('workflow' in spec) return { ...spec, params: forWorkflow(spec.workflow, spec.params) };
  if ('sequence' in spec) return { sequence: spec.sequence.map((s) => withChainParams(s, params, registry)) };
  if ('parallel' in spec) return { parallel: spec.parallel.map((s) => withChainParams(s, params, registry)) };
  if ('condition' in spec) {
    return {
      condition: spec.condition,
      then: withChainParams(spec.then, params, registry),
      ...(spec.else ? { else: withChainParams(spec.else, params, registry) } : {}),
    };
  }
  return { dag: spec.dag.map((n) => ({ ...n, params: forWorkflow(n.workflow, n.params) })) };
}

/** Deepest nesting of `sequence` / `parallel` / `condition` a spec may have. */
export const MAX_SPEC_DEPTH = 32;

/**
 * Rejects a spec nested deeper than MAX_SPEC_DEPTH before anything recursive (schema parse,
 * expansion, compile) walks it: without this, a deep enough body overflows the stack. Iterative.
 */
export function checkSpecDepth(input: unknown): void {
  const stack: { v: unknown; d: number }[] = [{ v: input, d: 0 }];
  while (stack.length) {
    const { v, d } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > MAX_SPEC_DEPTH * 3) throw new ValidationError(`the run spec nests more than ${MAX_SPEC_DEPTH} levels deep`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push({ v: child, d: d + 1 });
  }
}
