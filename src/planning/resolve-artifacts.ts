import { ARTIFACT_ID_PATTERN } from '../artifacts/artifact.js';
import { KNOWN_KINDS } from '../artifacts/artifact-kind.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Workflow } from '../workflows/define-workflow.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { rootKey, type Frontier } from './compile.js';
import { declOf } from './declarations.js';
import { derivationOf, sameDerivation } from './derivation.js';
import type { ArtifactFact, ArtifactFacts } from './facts.js';
import type { PlannedPrerequisite, ReusedArtifact } from './plan.js';
import { findRoute, producibleKinds } from './prerequisites.js';

/** What the compiler offers the artifact resolution (so this file needs no compiler internals). */
export interface PrereqHost {
  readonly registry: WorkflowRegistry;
  readonly prerequisites: PlannedPrerequisite[];
  readonly reused: ReusedArtifact[];
  /** Inserted prerequisites by instance id. */
  readonly prerequisiteOf: Map<string, PlannedPrerequisite>;
  /** Instances by workflow + parameters (explicit roots and inserted producers): a second identical one is shared. */
  readonly roots: Map<string, { instance: string; frontier: Frontier }>;
  instanceId(workflow: string): string;
  /** Adds an inserted producer after `upstream` (inside the current `condition` branch, if any). */
  addPrerequisite(wf: Workflow, id: string, params: Record<string, unknown>, upstream: Frontier): Frontier;
  /** The step being planned also reads inserted producer `instance` (it must run whenever that step does). */
  sharePrerequisite(instance: string): void;
}

/** Strings that mean to be artifact ids; those that fail ARTIFACT_ID_PATTERN are malformed. */
const LOOKS_LIKE_ID = /^art_/;

/**
 * Checks every artifact parameter of one instance against the facts and, where the given artifact
 * is of an earlier kind than the parameter accepts, reuses a matching derived artifact or inserts
 * the producers (each as a root instance, shared by every step that needs the same one; inside a
 * `condition` branch, gated by it so they run only when it is taken). Rewrites
 * `params` in place (the parameter then names the reused id or `{ $from }` the producer's output)
 * and returns the producers' frontier, which the instance must wait for.
 */
export function resolveArtifactParams(host: PrereqHost, wf: Workflow, instance: string, params: Record<string, unknown>, facts: ArtifactFacts): Frontier {
  const extra: Frontier = { steps: [], instances: [] };
  for (const p of declOf(wf).artifactParams) {
    const v = params[p.name];
    if (typeof v !== 'string' || !LOOKS_LIKE_ID.test(v)) continue; // absent, $from, or inline content
    if (!ARTIFACT_ID_PATTERN.test(v)) {
      throw new ValidationError(`step "${instance}" (${wf.name}): ${p.name}: "${v.slice(0, 80)}" is not a valid artifact id`, {
        details: [{ path: [p.name], message: 'expected an artifact id like art_<uuid>' }],
      });
    }
    const fact = facts[v];
    if (!fact) throw new NotFoundError(`artifact ${v} not found`);
    if (!p.accepts || p.accepts.includes(fact.kind)) continue;
    const route = findRoute(host.registry, fact.kind, p.accepts, params);
    if (!route) throw noRoute(host.registry, wf, instance, p.name, p.accepts, fact);
    let cur: { id: string } | { instance: string; field: string } = { id: v };
    let frontier: Frontier = { steps: [], instances: [] };
    let from = v;
    for (const hop of route) {
      const hopParams: Record<string, unknown> = { [hop.inParam]: 'id' in cur ? cur.id : { $from: `${cur.instance}.${cur.field}` } };
      // a producer's other required parameters come from the step that needs it (findRoute checked they are there)
      for (const r of declOf(hop.workflow).required) if (r !== hop.inParam) hopParams[r] = params[r];
      if ('id' in cur) {
        const parsed = hop.workflow.input.safeParse(hopParams);
        const derivation = derivationOf(hop.workflow, parsed.success ? (parsed.data as Record<string, unknown>) : hopParams);
        const hit = reusable(facts, cur.id, hop.kind, derivation);
        if (hit) {
          host.reused.push({ instance, param: p.name, from: cur.id, artifactId: hit, kind: hop.kind, workflow: hop.workflow.name });
          cur = { id: hit };
          from = hit;
          continue;
        }
      }
      const key = rootKey(hop.workflow.name, hopParams);
      const shared = host.roots.get(key);
      if (shared) {
        // the same producer on the same input is already in the run: wait for that one
        host.sharePrerequisite(shared.instance);
        noteUse(host, shared.instance, instance, p.name);
        cur = { instance: shared.instance, field: hop.outField };
        frontier = shared.frontier;
        continue;
      }
      const id = host.instanceId(hop.workflow.name);
      frontier = host.addPrerequisite(hop.workflow, id, hopParams, frontier);
      host.roots.set(key, { instance: id, frontier });
      const entry: PlannedPrerequisite = { instance: id, workflow: hop.workflow.name, from, kind: hop.kind, for: [] };
      host.prerequisites.push(entry);
      host.prerequisiteOf.set(id, entry);
      noteUse(host, id, instance, p.name);
      from = `${id}.${hop.outField}`;
      cur = { instance: id, field: hop.outField };
    }
    params[p.name] = 'id' in cur ? cur.id : { $from: `${cur.instance}.${cur.field}` };
    extra.steps.push(...frontier.steps);
    extra.instances.push(...frontier.instances);
  }
  return extra;
}

/** Records that `consumer.param` reads what prerequisite `producer` makes (only the last hop of a route counts). */
function noteUse(host: PrereqHost, producer: string, consumer: string, param: string): void {
  const entry = host.prerequisiteOf.get(producer);
  if (entry && !entry.for.some((f) => f.instance === consumer && f.param === param)) entry.for.push({ instance: consumer, param });
}

/** A derived artifact of `source` (per the facts) of `kind` made by the same workflow on the same input. */
function reusable(facts: ArtifactFacts, source: string, kind: string, derivation: ReturnType<typeof derivationOf>): string | undefined {
  const candidates = (facts[source]?.derived ?? []).map((id) => facts[id]).filter((f): f is ArtifactFact => Boolean(f));
  // the newest match wins: the caller lists children in lineage order, so take the last
  return candidates.filter((f) => f.kind === kind && sameDerivation(f.derivation, derivation)).at(-1)?.artifactId;
}

function describeKind(kind: string): string {
  const known = (KNOWN_KINDS as Record<string, string>)[kind];
  return known ? `${kind} (${known})` : kind;
}

function noRoute(registry: WorkflowRegistry, wf: Workflow, instance: string, param: string, accepts: readonly string[], fact: ArtifactFact): ValidationError {
  const makers = producibleKinds(registry);
  const unreachable = accepts.filter((k) => !makers.has(k));
  const what = fact.name ? `${fact.artifactId} (${fact.name})` : fact.artifactId;
  const message =
    `${wf.name} needs ${accepts.map(describeKind).join(' or ')} for ${param}, but ${what} is ${describeKind(fact.kind)}, ` +
    (unreachable.length === accepts.length
      ? `and no workflow makes ${accepts.join(' or ')}`
      : `and no workflow turns ${fact.kind} into ${accepts.join(' or ')}`) +
    '. Attach a file of the right kind, or give the artifact that step needs.';
  return new ValidationError(message, {
    details: { step: instance, workflow: wf.name, param, artifactId: fact.artifactId, kind: fact.kind, accepts: [...accepts] },
  });
}
