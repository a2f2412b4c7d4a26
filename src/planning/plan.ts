import { z } from 'zod';
import { CycleError } from '../errors/cycle-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Workflow } from '../workflows/define-workflow.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { Condition, DagNode, StepSpec } from './run-spec.js';

/** One node of one workflow instance, as it will run: a BullMQ job. */
export const PlanStep = z
  .object({
    /** Unique in the run: `<instance>.<node>`; part of the job id. */
    id: z.string(),
    workflow: z.string(),
    node: z.string(),
    /** The workflow instance (a spec step) this node belongs to. */
    instance: z.string(),
    /** Parameters of the instance (values may be `{ $from: "inst.path" }`). */
    params: z.record(z.string(), z.unknown()).default({}),
    dependsOn: z.array(z.string()).default([]),
    onFailure: z.enum(['fail', 'ignore']).default('fail'),
    /** A spec-level condition on an earlier instance's output; `negate` for the else branch. */
    condition: z.object({ instance: z.string(), test: Condition, negate: z.boolean() }).strict().nullable().default(null),
    /** The node has a run-time `when` predicate. */
    hasWhen: z.boolean().default(false),
    /** Some dependency runs under the `ignore` policy, so its failure must be read. */
    readsFailures: z.boolean().default(false),
    /** First node(s) of the instance: they validate the instance's full input. */
    entry: z.boolean().default(false),
    /** Last node(s) of the instance: their merged output is the instance's output. */
    terminal: z.boolean().default(false),
  })
  .strict();
export type PlanStep = z.infer<typeof PlanStep>;

export const Plan = z
  .object({
    steps: z.array(PlanStep),
    /** Steps nothing depends on. */
    sinks: z.array(z.string()),
    /** `tree` compiles to one FlowProducer tree; `coordinator` needs a job that adds steps as they become ready. */
    mode: z.enum(['tree', 'coordinator']),
    /** Workflow of each instance, in spec order. */
    instances: z.record(z.string(), z.string()),
  })
  .strict();
export type Plan = z.infer<typeof Plan>;

/**
 * A step as it travels in job data: fields at their default are left out (the worker's parse puts
 * them back), so every job of a run carries fewer bytes through Redis.
 */
export function compactStep(step: PlanStep): z.input<typeof PlanStep> {
  const out: Record<string, unknown> = { id: step.id, workflow: step.workflow, node: step.node, instance: step.instance };
  if (Object.keys(step.params).length) out.params = step.params;
  if (step.dependsOn.length) out.dependsOn = step.dependsOn;
  if (step.onFailure !== 'fail') out.onFailure = step.onFailure;
  if (step.condition) out.condition = step.condition;
  for (const k of ['hasWhen', 'readsFailures', 'entry', 'terminal'] as const) if (step[k]) out[k] = true;
  return out as z.input<typeof PlanStep>;
}

/** A synthetic last step that joins several sinks so a tree has one root. */
export const JOIN_WORKFLOW = '__engine';
export const JOIN_NODE = 'join';

interface Frontier {
  /** Terminal step ids whose completion the next steps wait for. */
  steps: string[];
  /** The last instance(s), for conditions without an explicit `step`. */
  instances: string[];
}

/**
 * Compiles a run spec against the registry into a plan of steps with dependencies. Rejects unknown
 * workflows, bad parameters of the first steps, bad `$from` references, and cycles (CycleError
 * naming the cycle) — before anything is enqueued.
 */
export function compilePlan(input: unknown, registry: WorkflowRegistry): Plan {
  const parsed = StepSpec.safeParse(input);
  if (!parsed.success) throw new ValidationError('invalid run spec', { details: parsed.error.issues });
  const spec = expandChains(parsed.data, registry, 0);
  const steps: PlanStep[] = [];
  const instances: Record<string, string> = {};
  const ancestorsOf = new Map<string, Set<string>>();

  const instanceId = (workflow: string, given?: string): string => {
    if (given) {
      if (instances[given]) throw new ValidationError(`step id "${given}" is used twice`);
      return given;
    }
    const base = workflow.replace(/[^A-Za-z0-9_-]/g, '_');
    let id = base;
    for (let i = 2; instances[id]; i++) id = `${base}_${i}`;
    return id;
  };

  const addInstance = (
    workflow: Workflow,
    id: string,
    params: Record<string, unknown>,
    upstream: Frontier,
    onFailure: 'fail' | 'ignore',
    condition: PlanStep['condition'],
  ): Frontier => {
    instances[id] = workflow.name;
    const upstreamInstances = new Set<string>();
    for (const s of upstream.steps) {
      const inst = steps.find((x) => x.id === s)!.instance;
      upstreamInstances.add(inst);
      for (const a of ancestorsOf.get(inst) ?? []) upstreamInstances.add(a);
    }
    ancestorsOf.set(id, upstreamInstances);
    checkParams(workflow, id, params, upstream.steps.length === 0, upstreamInstances);
    for (const node of workflow.order) {
      const def = workflow.nodes[node]!;
      const after = def.after ?? [];
      const entry = after.length === 0;
      steps.push({
        id: `${id}.${node}`,
        workflow: workflow.name,
        node,
        instance: id,
        params,
        dependsOn: entry ? [...upstream.steps] : after.map((a) => `${id}.${a}`),
        onFailure: def.onFailure ?? onFailure,
        condition: entry ? condition : null,
        hasWhen: Boolean(def.when),
        readsFailures: false,
        entry,
        terminal: workflow.terminals.includes(node),
      });
    }
    return { steps: workflow.terminals.map((t) => `${id}.${t}`), instances: [id] };
  };

  const walk = (s: StepSpec, upstream: Frontier, condition: PlanStep['condition']): Frontier => {
    if ('workflow' in s) {
      const wf = lookup(registry, s.workflow);
      return addInstance(wf, instanceId(wf.name, s.id), s.params ?? {}, upstream, s.onFailure ?? 'fail', condition);
    }
    if ('sequence' in s) {
      let f = upstream;
      s.sequence.forEach((child, i) => {
        f = walk(child, f, i === 0 ? condition : null);
      });
      return f;
    }
    if ('parallel' in s) {
      const outs = s.parallel.map((child) => walk(child, upstream, condition));
      return { steps: outs.flatMap((o) => o.steps), instances: outs.flatMap((o) => o.instances) };
    }
    if ('condition' in s) {
      const target = s.condition.step ?? upstream.instances.at(-1);
      if (!target || !instances[target]) {
        throw new ValidationError(`condition refers to ${target ? `unknown step "${target}"` : 'no earlier step'}; put it after the step it tests`);
      }
      const thenF = walk(s.then, upstream, { instance: target, test: s.condition, negate: false });
      const elseF = s.else ? walk(s.else, upstream, { instance: target, test: s.condition, negate: true }) : { steps: [], instances: [] };
      return { steps: [...thenF.steps, ...elseF.steps], instances: [...thenF.instances, ...elseF.instances] };
    }
    return walkDag(s.dag.map((n) => DagNode.parse(n)), upstream, condition);
  };

  const walkDag = (nodes: z.infer<typeof DagNode>[], upstream: Frontier, condition: PlanStep['condition']): Frontier => {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    if (byId.size !== nodes.length) throw new ValidationError('dag node ids must be unique');
    for (const n of nodes) {
      for (const d of n.dependsOn) if (!byId.has(d)) throw new ValidationError(`dag node "${n.id}" depends on unknown node "${d}"`);
    }
    const order = dagOrder(nodes);
    const frontierOf = new Map<string, Frontier>();
    for (const id of order) {
      const n = byId.get(id)!;
      const up: Frontier = n.dependsOn.length
        ? { steps: n.dependsOn.flatMap((d) => frontierOf.get(d)!.steps), instances: n.dependsOn }
        : upstream;
      const wf = lookup(registry, n.workflow);
      frontierOf.set(id, addInstance(wf, instanceId(wf.name, n.id), n.params, up, n.onFailure, n.dependsOn.length ? null : condition));
    }
    const depended = new Set(nodes.flatMap((n) => n.dependsOn));
    const sinks = order.filter((id) => !depended.has(id));
    return { steps: sinks.flatMap((id) => frontierOf.get(id)!.steps), instances: sinks };
  };

  walk(spec, { steps: [], instances: [] }, null);
  const ignoring = new Set(steps.filter((s) => s.onFailure === 'ignore').map((s) => s.id));
  for (const s of steps) s.readsFailures = s.dependsOn.some((d) => ignoring.has(d));
  const depended = new Set(steps.flatMap((s) => s.dependsOn));
  const sinks = steps.filter((s) => !depended.has(s.id)).map((s) => s.id);
  const dependents = new Map<string, number>();
  for (const s of steps) for (const d of s.dependsOn) dependents.set(d, (dependents.get(d) ?? 0) + 1);
  const isTree = steps.every((s) => (dependents.get(s.id) ?? 0) <= 1 && !s.condition && !s.hasWhen);
  if (isTree && sinks.length > 1) {
    steps.push({
      id: `${JOIN_WORKFLOW}.${JOIN_NODE}`,
      workflow: JOIN_WORKFLOW,
      node: JOIN_NODE,
      instance: JOIN_WORKFLOW,
      params: {},
      dependsOn: sinks,
      onFailure: 'fail',
      condition: null,
      hasWhen: false,
      readsFailures: steps.some((x) => sinks.includes(x.id) && x.onFailure === 'ignore'),
      entry: false,
      terminal: false,
    });
    return { steps, sinks: [`${JOIN_WORKFLOW}.${JOIN_NODE}`], mode: 'tree', instances };
  }
  return { steps, sinks, mode: isTree ? 'tree' : 'coordinator', instances };
}

function lookup(registry: WorkflowRegistry, name: string): Workflow {
  if (!registry.has(name)) {
    throw new ValidationError(`unknown workflow "${name}"`, { details: { known: registry.list().map((w) => w.name) } });
  }
  return registry.get(name);
}

/** Registered chains used as a step's `workflow` are replaced by their spec (with the params handed down). */
function expandChains(spec: StepSpec, registry: WorkflowRegistry, depth: number): StepSpec {
  if (depth > 8) throw new ValidationError('chains nest more than 8 deep');
  if ('workflow' in spec) {
    const chain = registry.getChain(spec.workflow);
    if (!chain) return spec;
    const given = spec.params ?? {};
    const check = chain.input.partial().safeParse(given);
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
function withChainParams(spec: StepSpec, params: Record<string, unknown>, registry: WorkflowRegistry): StepSpec {
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

/** `{ $from: "instance.path" }` references in params. */
export function fromRefs(params: Record<string, unknown>): { key: string; instance: string; path: string }[] {
  const out: { key: string; instance: string; path: string }[] = [];
  for (const [key, v] of Object.entries(params)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { $from?: unknown }).$from === 'string') {
      const ref = (v as { $from: string }).$from;
      const dot = ref.indexOf('.');
      out.push({ key, instance: dot < 0 ? ref : ref.slice(0, dot), path: dot < 0 ? '' : ref.slice(dot + 1) });
    }
  }
  return out;
}

function checkParams(wf: Workflow, id: string, params: Record<string, unknown>, first: boolean, ancestors: Set<string>): void {
  const refs = fromRefs(params);
  for (const r of refs) {
    if (!ancestors.has(r.instance)) {
      throw new ValidationError(`step "${id}": $from "${r.instance}.${r.path}" does not name an earlier step it depends on`);
    }
  }
  const literal = Object.fromEntries(Object.entries(params).filter(([k]) => !refs.some((r) => r.key === k)));
  // The first steps get everything from the request: check it fully. Later steps may get fields from upstream outputs.
  const schema = first && refs.length === 0 ? strictInput(wf) : partialInput(wf);
  const result = schema.safeParse(literal);
  if (!result.success) {
    throw new ValidationError(`invalid parameters for step "${id}" (${wf.name})`, { details: result.error.issues });
  }
}

// Derived schemas are built once per workflow: building one per call is slow (zod compiles each).
const strictCache = new WeakMap<Workflow, z.ZodObject>();
const partialCache = new WeakMap<Workflow, z.ZodObject>();
function strictInput(wf: Workflow): z.ZodObject {
  let s = strictCache.get(wf);
  if (!s) strictCache.set(wf, (s = wf.input.strict()));
  return s;
}
function partialInput(wf: Workflow): z.ZodObject {
  let s = partialCache.get(wf);
  if (!s) partialCache.set(wf, (s = wf.input.partial().strict()));
  return s;
}

/** Topological order of DAG nodes; a cycle is a CycleError naming it. */
function dagOrder(nodes: z.infer<typeof DagNode>[]): string[] {
  const deps = new Map(nodes.map((n) => [n.id, n.dependsOn]));
  const state = new Map<string, 1 | 2>();
  const out: string[] = [];
  const stack: string[] = [];
  const visit = (id: string) => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      throw new CycleError(`the dependencies form a cycle: ${cycle.join(' → ')}`, { details: { cycle } });
    }
    state.set(id, 1);
    stack.push(id);
    for (const d of deps.get(id) ?? []) visit(d);
    stack.pop();
    state.set(id, 2);
    out.push(id);
  };
  for (const n of nodes) visit(n.id);
  return out;
}
