import type { ArtifactHint } from '../llm/llm.js';
import { findRoute } from '../planning/prerequisites.js';
import type { WorkflowRegistry } from '../workflows/registry.js';

/** One artifact parameter of a capability, read from its JSON Schema. */
export interface ArtifactSlot {
  name: string;
  /** Kinds it accepts (`x-accepts`); undefined = not declared (any artifact). */
  accepts: string[] | undefined;
  array: boolean;
  required: boolean;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The artifact parameters (`x-artifact`) of a tool's input JSON Schema, in schema order. */
export function artifactSlots(inputSchema: Json): ArtifactSlot[] {
  const props = isObj(inputSchema.properties) ? inputSchema.properties : {};
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required : []);
  const out: ArtifactSlot[] = [];
  for (const [name, raw] of Object.entries(props)) {
    if (!isObj(raw)) continue;
    const alts = [raw, ...((raw.anyOf ?? raw.oneOf ?? []) as unknown[]).filter(isObj)];
    const items = alts.map((a) => a.items).find(isObj);
    const marked = alts.find((a) => a['x-artifact'] === true) ?? (items?.['x-artifact'] === true ? items : undefined);
    if (!marked) continue;
    const accepts = marked['x-accepts'];
    out.push({
      name,
      accepts: Array.isArray(accepts) ? accepts.filter((k): k is string => typeof k === 'string') : undefined,
      array: Boolean(items),
      required: required.has(name),
    });
  }
  return out;
}

/** True when an artifact of kind `from` can be turned into one of `to` (by the prerequisites the planner inserts). */
export type CanBecome = (from: string, to: readonly string[]) => boolean;

/** `CanBecome` from the registry's declarations (the planner's own route finder). */
export function canBecomeIn(registry: WorkflowRegistry): CanBecome {
  const memo = new Map<string, boolean>();
  return (from, to) => {
    const key = `${from}>${to.join(',')}`;
    let hit = memo.get(key);
    if (hit === undefined) memo.set(key, (hit = findRoute(registry, from, to, {}) !== null));
    return hit;
  };
}

/** How well an artifact of `kind` fits a slot: 2 = accepted as is, 1 = a prerequisite makes it fit, 0 = no. */
export function fit(slot: ArtifactSlot, kind: string | undefined, canBecome: CanBecome): 0 | 1 | 2 {
  if (!slot.accepts) return 1;
  if (!kind) return 0;
  if (slot.accepts.includes(kind)) return 2;
  return canBecome(kind, slot.accepts) ? 1 : 0;
}

export interface ResolveInput {
  slots: ArtifactSlot[];
  /** What the router put in the parameters. */
  params: Record<string, unknown>;
  /** Artifact ids written in the message text (the user named them: kept as given). */
  named: ReadonlySet<string>;
  /** Artifacts attached to this message, in order. */
  attached: readonly ArtifactHint[];
  /** The session's other artifacts, most recent first. */
  recent: readonly ArtifactHint[];
  canBecome: CanBecome;
}

/**
 * Fills and corrects a step's artifact parameters. The current message's attachments win over
 * anything earlier in the session; "it", "this", "that file" (no id, nothing attached) mean the
 * most recent session artifact that fits — of the kind the step needs, or one a prerequisite turns
 * into it. Ids the user wrote in the message are kept as written. Slots without declared kinds are
 * left to the router unless empty.
 */
export function resolveArtifacts(input: ResolveInput): Record<string, unknown> {
  const params = { ...input.params };
  const known = new Map([...input.attached, ...input.recent].map((h) => [h.artifactId, h]));
  for (const slot of input.slots) {
    const given = params[slot.name];
    // Optional slots (a profile to reuse, extra inputs) stay as the router left them.
    if (!slot.required) continue;
    if (slot.array) {
      if (Array.isArray(given) && given.length) continue;
      const fitting = input.attached.filter((h) => fit(slot, h.kind, input.canBecome) > 0);
      if (fitting.length) params[slot.name] = fitting.map((h) => h.artifactId);
      continue;
    }
    if (typeof given === 'string' && input.named.has(given)) continue;
    const givenHint = typeof given === 'string' ? known.get(given) : undefined;
    if (!slot.accepts) {
      // No declared kinds: keep what the router chose; an empty slot takes the first attachment.
      if (given === undefined && input.attached[0]) params[slot.name] = input.attached[0].artifactId;
      continue;
    }
    const givenFit = givenHint ? fit(slot, givenHint.kind, input.canBecome) : 0;
    const attachedFit = firstFit(input.attached, slot, input.canBecome);
    // An attachment that fits wins over an older artifact the router picked.
    if (attachedFit && !(givenHint && givenFit > 0 && input.attached.includes(givenHint))) {
      params[slot.name] = attachedFit.artifactId;
      continue;
    }
    if (givenHint && givenFit > 0) continue;
    const recentFit = firstFit(input.recent, slot, input.canBecome);
    if (recentFit) params[slot.name] = recentFit.artifactId;
    else if (givenHint) delete params[slot.name];
  }
  return params;
}

/** The first hint that fits (attachments in order; recent ones come most recent first). */
function firstFit(hints: readonly ArtifactHint[], slot: ArtifactSlot, canBecome: CanBecome): ArtifactHint | undefined {
  return hints.find((h) => fit(slot, h.kind, canBecome) > 0);
}
