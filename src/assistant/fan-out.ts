import type { ArtifactHint, Intent } from '../llm/llm.js';
import type { MissingCheck } from './missing-params.js';
import { fit, type ArtifactSlot, type CanBecome } from './resolve-artifacts.js';

/** Most files one message fans out over ("profile these CSVs" with many attached). */
export const MAX_FANNED_FILES = 10;

/** One intent with its parameters checked (what route-message plans from). */
export interface CheckedIntent {
  intent: Intent;
  check: MissingCheck;
}

/** `params` with every occurrence of the artifact id `from` (as a value or in a list) replaced by `to`. */
function swap(params: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === from ? to : Array.isArray(v) ? v.map((x) => (x === from ? to : x)) : v]));
}

/** The string values of parameters (artifact ids among them), lists flattened. */
export const idsIn = (params: Record<string, unknown>): string[] =>
  Object.values(params)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is string => typeof v === 'string');

/**
 * "Profile these CSVs" with two attached: the request once per file. When the intents took one of
 * this message's attachments for a single-file parameter and more attachments fit that parameter
 * the same way (and no intent used them), every intent that names the first file is repeated for
 * each of the others, in the order they were attached (at most MAX_FANNED_FILES files in all).
 * Intents that do not name the file (a step fed by an earlier one) are not repeated.
 */
export function fanOutOverAttachments(checked: CheckedIntent[], attached: readonly ArtifactHint[], slotsOf: (tool: string) => ArtifactSlot[], canBecome: CanBecome): CheckedIntent[] {
  if (attached.length < 2) return checked;
  const used = new Set(checked.flatMap((c) => idsIn(c.check.valid).concat(idsIn(c.intent.params))));
  const attachedIds = new Set(attached.map((a) => a.artifactId));
  for (const c of checked) {
    for (const slot of slotsOf(c.intent.tool)) {
      const v = c.check.valid[slot.name] ?? c.intent.params[slot.name];
      if (slot.array || !slot.required || typeof v !== 'string' || !attachedIds.has(v)) continue;
      const first = attached.find((a) => a.artifactId === v)!;
      const others = attached.filter((a) => !used.has(a.artifactId) && fit(slot, a.kind, canBecome) >= fit(slot, first.kind, canBecome) && fit(slot, a.kind, canBecome) > 0);
      if (others.length === 0) return checked;
      const naming = checked.filter((x) => idsIn(x.check.valid).includes(v) || idsIn(x.intent.params).includes(v));
      const copies = others.slice(0, MAX_FANNED_FILES - 1).flatMap((a) =>
        naming.map((x) => ({
          intent: { ...x.intent, params: swap(x.intent.params, v, a.artifactId) },
          check: { ...x.check, valid: swap(x.check.valid, v, a.artifactId) },
        })),
      );
      return [...checked, ...copies];
    }
  }
  return checked;
}
