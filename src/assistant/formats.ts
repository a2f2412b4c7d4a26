import { KNOWN_KINDS } from '../artifacts/artifact-kind.js';
import { declOf } from '../planning/declarations.js';
import { producibleKinds } from '../planning/prerequisites.js';
import type { WorkflowRegistry } from '../workflows/registry.js';

/** How the capability answer names the upload kinds it knows. */
const LABELS: Record<string, string> = {
  jil: 'AutoSys JIL exports (.jil files, or JIL text)',
  csv: 'CSV and other delimited text files (.csv, .tsv, .psv; any delimiter, header or not)',
};

/** Catch-all kinds: "any other text" says nothing about what the assistant reads. */
const GENERIC = new Set(['text', 'json', 'binary']);

/**
 * What users can upload for the registry's workflows: the kinds some artifact parameter accepts
 * (directly or through the producers the planner inserts) that no workflow makes, catch-alls left
 * out, in name order.
 */
export function uploadFormats(registry: WorkflowRegistry): string[] {
  const made = producibleKinds(registry);
  const raw = new Set<string>();
  for (const wf of registry.list()) {
    for (const p of declOf(wf).artifactParams) for (const k of p.accepts ?? []) if (!made.has(k) && !GENERIC.has(k)) raw.add(k);
  }
  return [...raw].sort().map((k) => LABELS[k] ?? (k in KNOWN_KINDS ? KNOWN_KINDS[k as keyof typeof KNOWN_KINDS] : `${k} artifacts`));
}
