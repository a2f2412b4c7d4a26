import type { Artifact } from '../artifacts/artifact.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { artifactIdsIn } from '../planning/artifact-refs.js';
import { compilePlan } from '../planning/compile.js';
import { compoundSpec, type Intent } from '../planning/compound.js';
import type { ArtifactFact, ArtifactFacts } from '../planning/facts.js';
import type { Plan } from '../planning/plan.js';
import type { StepSpec } from '../planning/run-spec.js';
import type { WorkflowRegistry } from '../workflows/registry.js';

/** Whose run it is: artifacts are looked up for this user, reuse only within this session. */
export interface RunScope {
  userId: string;
  sessionId: string;
}

export interface RunPlannerOptions {
  registry: WorkflowRegistry;
  artifacts: Pick<ArtifactStore, 'peek'>;
  /** Owner (user id) of a session, or null when there is none. */
  sessionOwner(sessionId: string): Promise<string | null>;
  /** Most steps a plan may have (DATAOPS_MAX_PLAN_STEPS). */
  maxSteps: number;
  /** Derived artifacts read per source artifact when looking for one to reuse. Default 200. */
  maxDerived?: number;
}

/** A compiled run and the facts it was compiled from (keep both to compile the same plan again). */
export interface PlannedRun {
  spec: StepSpec;
  plan: Plan;
  facts: ArtifactFacts;
}

/**
 * The I/O half of planning: reads what the pure planner (src/planning/) needs to know about the
 * artifacts a run names — kind, name, lineage — through the artifact store, scoped to the run's
 * user (another user's artifact, or an unknown id, is a NotFoundError) and, for reuse, to the run's
 * session; then compiles. Nothing is enqueued or written.
 */
export class RunPlanner {
  private readonly maxDerived: number;

  constructor(private readonly options: RunPlannerOptions) {
    this.maxDerived = options.maxDerived ?? 200;
  }

  /** Checks and compiles one spec (a workflow, chain, sequence, parallel, condition or dag). */
  async plan(spec: StepSpec, scope: RunScope): Promise<PlannedRun> {
    const { registry, maxSteps } = this.options;
    const facts: Record<string, ArtifactFact> = {};
    const owners = new Map<string, Promise<string | null>>();
    for (const id of artifactIdsIn(spec)) facts[id] = toFact(await this.owned(id, scope, owners));
    let plan = compilePlan(spec, registry, { facts, maxSteps });
    // A prerequisite was inserted: read what the session already derived from its source, then
    // compile again so an identical derived artifact is reused instead of recomputed.
    for (let round = 0; round < 3 && plan.prerequisites.length; round++) {
      const sources = [...new Set(plan.prerequisites.map((p) => p.from))].filter((id) => facts[id] && facts[id]!.derived === undefined);
      const fromReused = plan.reused.map((r) => r.artifactId).filter((id) => facts[id] && facts[id]!.derived === undefined);
      const todo = [...new Set([...sources, ...fromReused])];
      if (todo.length === 0) break;
      for (const id of todo) await this.addDerived(facts, id, scope);
      plan = compilePlan(spec, registry, { facts, maxSteps });
    }
    for (const f of Object.values(facts)) f.derived ??= [];
    return { spec, plan, facts };
  }

  /** Several intents (see `compoundSpec`) as one checked plan: one BullMQ flow, shared prerequisites once. */
  async planIntents(intents: Intent[], scope: RunScope): Promise<PlannedRun> {
    return this.plan(compoundSpec(intents, this.options.registry).spec, scope);
  }

  /** The artifact if the run's user may use it; else NotFoundError (same answer as an unknown id). */
  private async owned(id: string, scope: RunScope, owners: Map<string, Promise<string | null>>): Promise<Artifact> {
    const notFound = () => new NotFoundError(`artifact ${id} not found`);
    let a: Artifact;
    try {
      a = await this.options.artifacts.peek(id);
    } catch (err) {
      if (err instanceof NotFoundError) throw notFound();
      throw err;
    }
    if (a.sessionId === scope.sessionId) return a;
    let owner = owners.get(a.sessionId);
    if (!owner) owners.set(a.sessionId, (owner = this.options.sessionOwner(a.sessionId)));
    if ((await owner) !== scope.userId) throw notFound();
    return a;
  }

  /** Facts of the artifacts of the run's session derived from `id` (verified lineage edges only). */
  private async addDerived(facts: Record<string, ArtifactFact>, id: string, scope: RunScope): Promise<void> {
    const source = await this.options.artifacts.peek(id).catch(() => undefined);
    const children = (source?.childArtifacts ?? []).slice(-this.maxDerived);
    const found: Artifact[] = [];
    for (let i = 0; i < children.length; i += 20) {
      const batch = await Promise.all(children.slice(i, i + 20).map((c) => this.options.artifacts.peek(c).catch(() => undefined)));
      for (const c of batch) if (c && c.sessionId === scope.sessionId && c.parentArtifacts.includes(id) && c.derivation) found.push(c);
    }
    found.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    for (const c of found) facts[c.artifactId] ??= toFact(c);
    facts[id] = { ...facts[id]!, derived: found.map((c) => c.artifactId) };
  }
}

/** `derived` stays unset until read (the planner then treats it as none). */
function toFact(a: Artifact): ArtifactFact {
  return { artifactId: a.artifactId, kind: a.kind, name: a.name, derivation: a.derivation };
}
