import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import type { Workflow } from '../workflows/define-workflow.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { checkSpecDepth, expandChains } from './chains.js';
import { dagOrder } from './dag-order.js';
import { declOf } from './declarations.js';
import type { ArtifactFacts } from './facts.js';
import { commonGate, gateWithin, type Gate } from './gates.js';
import { JOIN_NODE, JOIN_WORKFLOW, fromRefs, type Plan, type PlanStep, type PlannedPrerequisite, type ReusedArtifact } from './plan.js';
import { resolveArtifactParams, type PrereqHost } from './resolve-artifacts.js';
import { DagNode, StepSpec } from './run-spec.js';

/** Default of `CompileOptions.maxSteps` (and of DATAOPS_MAX_PLAN_STEPS). */
export const DEFAULT_MAX_PLAN_STEPS = 1000;

/** Options of `compilePlan`. */
export interface CompileOptions {
  /**
   * Facts about every artifact the spec names (kind, lineage), read by the caller. When given, every
   * artifact parameter is checked: a malformed id is a ValidationError, an id without a fact a
   * NotFoundError, a kind the parameter does not accept either gets the producers it needs inserted
   * (or a derived artifact reused) or is a ValidationError. Default: none (kinds are not checked).
   */
  facts?: ArtifactFacts;
  /** Most steps (workflow nodes) a plan may have; more is a ValidationError. Default 1000. */
  maxSteps?: number;
}

export interface Frontier {
  /** Terminal step ids whose completion the next steps wait for. */
  steps: string[];
  /** The last instance(s), for conditions without an explicit `step`. */
  instances: string[];
}

/** Keys that may be in an instance's state; `'*'` when an open output schema could add anything. */
type Keys = ReadonlySet<string> | '*';
/** Above this many keys the availability check gives up (treats everything as available). */
const MAX_TRACKED_KEYS = 512;

interface InstanceInfo {
  /** Instances whose terminals its entry steps wait for (direct). */
  upstream: string[];
  /** Keys its dependents' state may hold after it. */
  keys: Keys;
}

/**
 * Compiles a run spec against the registry into a plan of steps with dependencies, checking the
 * whole run before anything is enqueued: unknown workflows, every step's parameters (required ones
 * must be given or come from an earlier step's declared output), `$from` references, cycles
 * (CycleError naming the cycle), the step cap, and — with `facts` — artifact ids and kinds, inserting
 * the producers a step needs. Linear in the size of the spec.
 */
export function compilePlan(input: unknown, registry: WorkflowRegistry, options: CompileOptions = {}): Plan {
  checkSpecDepth(input);
  const parsed = StepSpec.safeParse(input);
  if (!parsed.success) throw new ValidationError('invalid run spec', { details: parsed.error.issues });
  const c = new Compiler(registry, options);
  c.walk(expandChains(parsed.data, registry), { steps: [], instances: [] }, null);
  return c.finish();
}

class Compiler implements PrereqHost {
  readonly steps: PlanStep[] = [];
  readonly instances: Record<string, string> = {};
  readonly prerequisites: PlannedPrerequisite[] = [];
  readonly reused: ReusedArtifact[] = [];
  readonly prerequisiteOf = new Map<string, PlannedPrerequisite>();
  /** Instances by the workflow and literal parameters of a root instance: shared prerequisites. */
  readonly roots = new Map<string, { instance: string; frontier: Frontier }>();
  private readonly stepById = new Map<string, PlanStep>();
  private readonly info = new Map<string, InstanceInfo>();
  private readonly nextSuffix = new Map<string, number>();
  private readonly maxSteps: number;
  /** The innermost `condition` branch being walked (null outside every branch). */
  private gate: Gate | null = null;
  private gateIds = 0;
  /** Inserted prerequisites: their gate and the steps they wait for besides the gate's. */
  private readonly prereqGates = new Map<string, { gate: Gate | null; base: string[] }>();

  constructor(
    readonly registry: WorkflowRegistry,
    readonly options: CompileOptions,
  ) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_PLAN_STEPS;
  }

  /** A fresh instance id: the given one (unique), or the workflow's name made safe plus a counter. */
  instanceId(workflow: string, given?: string): string {
    if (given) {
      if (this.instances[given] !== undefined) throw new ValidationError(`step id "${given}" is used twice`);
      return given;
    }
    const base = workflow.replace(/[^A-Za-z0-9_-]/g, '_');
    let n = this.nextSuffix.get(base) ?? 1;
    let id = n === 1 ? base : `${base}_${n}`;
    while (this.instances[id] !== undefined) id = `${base}_${++n}`;
    this.nextSuffix.set(base, n + 1);
    return id;
  }

  lookup(name: string): Workflow {
    if (!this.registry.has(name)) {
      const known = [...this.registry.list().map((w) => w.name), ...this.registry.listChains().map((c) => c.name)];
      throw new ValidationError(`unknown workflow "${name}"`, { details: { known } });
    }
    return this.registry.get(name);
  }

  addInstance(
    wf: Workflow,
    id: string,
    givenParams: Record<string, unknown>,
    given: Frontier,
    onFailure: 'fail' | 'ignore',
    condition: PlanStep['condition'],
    explicit: boolean,
  ): Frontier {
    this.instances[id] = wf.name;
    const params = { ...givenParams };
    let upstream = given;
    if (this.options.facts) {
      const extra = resolveArtifactParams(this, wf, id, params, this.options.facts);
      if (extra.steps.length) upstream = { steps: [...given.steps, ...extra.steps], instances: [...given.instances, ...extra.instances] };
    }
    const direct = [...new Set(upstream.steps.map((s) => this.stepById.get(s)!.instance))];
    const available = this.unionKeys(direct);
    this.checkParams(wf, id, params, direct, available);
    for (const node of wf.order) {
      const def = wf.nodes[node]!;
      const after = def.after ?? [];
      const entry = after.length === 0;
      const step: PlanStep = {
        id: `${id}.${node}`,
        workflow: wf.name,
        node,
        instance: id,
        params,
        dependsOn: entry ? [...upstream.steps] : after.map((a) => `${id}.${a}`),
        onFailure: def.onFailure ?? onFailure,
        condition: entry ? condition : null,
        hasWhen: Boolean(def.when),
        readsFailures: false,
        entry,
        terminal: wf.terminals.includes(node),
      };
      this.steps.push(step);
      this.stepById.set(step.id, step);
    }
    if (this.steps.length > this.maxSteps) {
      throw new ValidationError(`the run has more than ${this.maxSteps} steps (DATAOPS_MAX_PLAN_STEPS); split it into smaller runs`, {
        details: { maxSteps: this.maxSteps },
      });
    }
    const frontier = { steps: wf.terminals.map((t) => `${id}.${t}`), instances: [id] };
    this.info.set(id, { upstream: direct, keys: this.addKeys(available, params, wf) });
    if (explicit && upstream.steps.length === 0 && !condition && !this.gate && onFailure === 'fail') {
      const key = rootKey(wf.name, params);
      if (!this.roots.has(key)) this.roots.set(key, { instance: id, frontier });
    }
    return frontier;
  }

  walk(s: StepSpec, upstream: Frontier, condition: PlanStep['condition']): Frontier {
    if ('workflow' in s) {
      const wf = this.lookup(s.workflow);
      return this.addInstance(wf, this.instanceId(wf.name, s.id), s.params ?? {}, upstream, s.onFailure ?? 'fail', condition, true);
    }
    if ('sequence' in s) {
      let f = upstream;
      s.sequence.forEach((child, i) => {
        f = this.walk(child, f, i === 0 ? condition : null);
      });
      return f;
    }
    if ('parallel' in s) {
      const outs = s.parallel.map((child) => this.walk(child, upstream, condition));
      return { steps: outs.flatMap((o) => o.steps), instances: outs.flatMap((o) => o.instances) };
    }
    if ('condition' in s) {
      const target = s.condition.step ?? upstream.instances.at(-1);
      if (!target || this.instances[target] === undefined) {
        throw new ValidationError(`condition refers to ${target ? `unknown step "${target}"` : 'no earlier step'}; put it after the step it tests`);
      }
      const outer = this.gate;
      const branch = (negate: boolean, spec: StepSpec): Frontier => {
        const test = { instance: target, test: s.condition, negate };
        this.gate = { id: ++this.gateIds, condition: test, steps: [...upstream.steps], parent: outer };
        const f = this.walk(spec, upstream, test);
        this.gate = outer;
        return f;
      };
      const thenF = branch(false, s.then);
      const elseF = s.else ? branch(true, s.else) : { steps: [], instances: [] };
      return { steps: [...thenF.steps, ...elseF.steps], instances: [...thenF.instances, ...elseF.instances] };
    }
    return this.walkDag(s.dag.map((n) => DagNode.parse(n)), upstream, condition);
  }

  private walkDag(nodes: z.infer<typeof DagNode>[], upstream: Frontier, condition: PlanStep['condition']): Frontier {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    if (byId.size !== nodes.length) throw new ValidationError('dag node ids must be unique');
    for (const n of nodes) {
      for (const d of n.dependsOn) if (!byId.has(d)) throw new ValidationError(`dag node "${n.id}" depends on unknown node "${d}"`);
    }
    const order = dagOrder(nodes);
    const frontierOf = new Map<string, Frontier>();
    for (const id of order) {
      const n = byId.get(id)!;
      const up: Frontier = n.dependsOn.length ? { steps: n.dependsOn.flatMap((d) => frontierOf.get(d)!.steps), instances: n.dependsOn } : upstream;
      const cond = n.dependsOn.length ? null : condition;
      const chain = this.registry.getChain(n.workflow);
      if (chain) {
        // a chain as a dag node: its steps run in its place, after the node's dependencies
        const inner = expandChains({ workflow: n.workflow, params: n.params }, this.registry);
        const f = this.walk(prefixIds(inner, n.id), up, cond);
        frontierOf.set(id, f);
        continue;
      }
      const wf = this.lookup(n.workflow);
      frontierOf.set(id, this.addInstance(wf, this.instanceId(wf.name, n.id), n.params, up, n.onFailure, cond, true));
    }
    const depended = new Set(nodes.flatMap((n) => n.dependsOn));
    const sinks = order.filter((id) => !depended.has(id));
    return { steps: sinks.flatMap((id) => frontierOf.get(id)!.steps), instances: sinks.flatMap((id) => frontierOf.get(id)!.instances) };
  }

  /**
   * Adds a producer the planner inserted. Inside a `condition` branch it carries the branch's gate: it
   * waits for what the branch waits for and runs only when the branch is taken (see gates.ts).
   */
  addPrerequisite(wf: Workflow, id: string, params: Record<string, unknown>, base: Frontier): Frontier {
    const gate = this.gate;
    const upstream = gate ? { steps: [...base.steps, ...gate.steps], instances: [...base.instances, ...this.instancesOf(gate.steps)] } : base;
    const f = this.addInstance(wf, id, params, upstream, 'fail', gate?.condition ?? null, false);
    this.prereqGates.set(id, { gate, base: [...base.steps] });
    return f;
  }

  /** The step being planned now also reads prerequisite `instance`: widen its gate so it runs for both. */
  sharePrerequisite(instance: string): void {
    const meta = this.prereqGates.get(instance);
    if (meta && !gateWithin(this.gate, meta.gate)) this.widen(instance, this.gate);
  }

  /** Moves a prerequisite (and the producers before it) out to the innermost gate holding `to` too. */
  private widen(instance: string, to: Gate | null): void {
    const meta = this.prereqGates.get(instance);
    if (!meta) return;
    const gate = commonGate(meta.gate, to);
    if (gate === meta.gate) return;
    meta.gate = gate;
    const dependsOn = [...meta.base, ...(gate?.steps ?? [])];
    for (const step of this.steps) {
      if (step.instance !== instance || !step.entry) continue;
      step.dependsOn = [...dependsOn];
      step.condition = gate?.condition ?? null;
    }
    const info = this.info.get(instance);
    if (info) info.upstream = this.instancesOf(dependsOn);
    for (const before of this.instancesOf(meta.base)) this.widen(before, gate);
  }

  private instancesOf(steps: readonly string[]): string[] {
    return [...new Set(steps.map((s) => this.stepById.get(s)!.instance))];
  }

  finish(): Plan {
    const { steps, instances } = this;
    const ignoring = new Set(steps.filter((s) => s.onFailure === 'ignore').map((s) => s.id));
    for (const s of steps) s.readsFailures = s.dependsOn.some((d) => ignoring.has(d));
    const dependents = new Map<string, number>();
    for (const s of steps) for (const d of s.dependsOn) dependents.set(d, (dependents.get(d) ?? 0) + 1);
    const sinks = steps.filter((s) => !dependents.has(s.id)).map((s) => s.id);
    const isTree = steps.every((s) => (dependents.get(s.id) ?? 0) <= 1 && !s.condition && !s.hasWhen);
    const extra = { prerequisites: this.prerequisites, reused: this.reused };
    if (isTree && sinks.length > 1) {
      const sinkSet = new Set(sinks);
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
        readsFailures: steps.some((x) => sinkSet.has(x.id) && x.onFailure === 'ignore'),
        entry: false,
        terminal: false,
      });
      return { steps, sinks: [`${JOIN_WORKFLOW}.${JOIN_NODE}`], mode: 'tree', instances, ...extra };
    }
    return { steps, sinks, mode: isTree ? 'tree' : 'coordinator', instances, ...extra };
  }

  /** True when `target` is `from` or upstream of it (breadth-first, stops when found). */
  private reaches(from: string[], target: string): boolean {
    const seen = new Set<string>();
    const queue = [...from];
    for (let i = 0; i < queue.length; i++) {
      const inst = queue[i]!;
      if (inst === target) return true;
      if (seen.has(inst)) continue;
      seen.add(inst);
      for (const u of this.info.get(inst)?.upstream ?? []) if (!seen.has(u)) queue.push(u);
    }
    return false;
  }

  private unionKeys(instances: string[]): Keys {
    if (instances.length === 1) return this.info.get(instances[0]!)!.keys;
    const out = new Set<string>();
    for (const i of instances) {
      const k = this.info.get(i)!.keys;
      if (k === '*') return '*';
      for (const x of k) out.add(x);
    }
    return out;
  }

  private addKeys(available: Keys, params: Record<string, unknown>, wf: Workflow): Keys {
    const outKeys = declOf(wf).outputKeys;
    if (available === '*' || outKeys === '*') return '*';
    const out = new Set(available);
    for (const k of Object.keys(params)) out.add(k);
    for (const k of outKeys) out.add(k);
    return out.size > MAX_TRACKED_KEYS ? '*' : out;
  }

  private checkParams(wf: Workflow, id: string, params: Record<string, unknown>, direct: string[], available: Keys): void {
    const refs = fromRefs(params);
    for (const r of refs) {
      if (!this.reaches(direct, r.instance)) {
        throw new ValidationError(`step "${id}": $from "${r.instance}.${r.path}" does not name an earlier step it depends on`);
      }
    }
    const literal = Object.fromEntries(Object.entries(params).filter(([k]) => !refs.some((r) => r.key === k)));
    const result = partialInput(wf).safeParse(literal);
    if (!result.success) {
      throw new ValidationError(`invalid parameters for step "${id}" (${wf.name})`, { details: result.error.issues });
    }
    if (available === '*') return;
    // Required parameters must be given, or be a key an earlier step's state carries.
    const shape = wf.input.shape as Record<string, z.ZodType>;
    const missing = declOf(wf).required.filter((k) => params[k] === undefined && !available.has(k));
    if (missing.length) {
      const issues = missing.map((k) => ({ path: [k], message: askOf(shape[k]) ?? `${k} is required` }));
      throw new ValidationError(`invalid parameters for step "${id}" (${wf.name}): missing ${missing.join(', ')}`, { details: issues });
    }
  }
}

function askOf(schema: z.ZodType | undefined): string | undefined {
  const meta = (schema?.meta?.() ?? {}) as Record<string, unknown>;
  return typeof meta['x-ask'] === 'string' ? meta['x-ask'] : undefined;
}

/** Key of a root instance: its workflow and parameters, for sharing one instance between steps. */
export function rootKey(workflow: string, params: Record<string, unknown>): string {
  const keys = Object.keys(params).sort();
  return `${workflow}|${JSON.stringify(keys.map((k) => [k, params[k]]))}`;
}

/** Gives every explicit step id inside a chain's spec the dag node's id as a prefix, so two nodes may use one chain. */
function prefixIds(spec: StepSpec, prefix: string): StepSpec {
  if ('workflow' in spec) return { ...spec, id: `${prefix}_${spec.id ?? spec.workflow.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64) };
  if ('sequence' in spec) return { sequence: spec.sequence.map((s) => prefixIds(s, prefix)) };
  if ('parallel' in spec) return { parallel: spec.parallel.map((s) => prefixIds(s, prefix)) };
  if ('condition' in spec) {
    return {
      condition: spec.condition.step ? { ...spec.condition, step: `${prefix}_${spec.condition.step}` } : spec.condition,
      then: prefixIds(spec.then, prefix),
      ...(spec.else ? { else: prefixIds(spec.else, prefix) } : {}),
    };
  }
  const ids = new Set(spec.dag.map((n) => n.id));
  return { dag: spec.dag.map((n) => ({ ...n, id: `${prefix}_${n.id}`, dependsOn: (n.dependsOn ?? []).map((d) => (ids.has(d) ? `${prefix}_${d}` : d)) })) };
}

// Derived schemas are built once per workflow: building one per call is slow (zod compiles each).
const partialCache = new WeakMap<Workflow, z.ZodObject>();
function partialInput(wf: Workflow): z.ZodObject {
  let s = partialCache.get(wf);
  if (!s) partialCache.set(wf, (s = wf.input.partial().strict()));
  return s;
}
