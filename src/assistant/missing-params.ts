import { z } from 'zod';

export interface MissingCheck {
  /** Parameters that are present and valid (kept for the next message). */
  valid: Record<string, unknown>;
  /** Required parameters that are absent, with the question to ask for each. */
  missing: { name: string; ask: string }[];
  /** Present but invalid parameters, as sentences. */
  problems: string[];
}

/**
 * Validates parameters against a workflow's input schema and sorts the issues into "missing"
 * (ask for them, all at once) and "invalid" (say what is wrong). On success `valid` is the parsed
 * data with defaults applied.
 */
export function findMissing(schema: z.ZodObject, params: Record<string, unknown>): MissingCheck {
  const known = Object.fromEntries(Object.entries(params).filter(([k]) => k in schema.shape));
  const result = schema.safeParse(known);
  if (result.success) return { valid: result.data as Record<string, unknown>, missing: [], problems: [] };
  const missing: { name: string; ask: string }[] = [];
  const problems: string[] = [];
  const bad = new Set<string>();
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? '');
    bad.add(name);
    if (known[name] === undefined) {
      if (!missing.some((m) => m.name === name)) missing.push({ name, ask: askFor(schema, name) });
    } else {
      problems.push(`${name}: ${issue.message}`);
    }
  }
  const valid = Object.fromEntries(Object.entries(known).filter(([k]) => !bad.has(k)));
  return { valid, missing, problems };
}

/** The field's `x-ask` meta, else its description, else its name. */
function askFor(schema: z.ZodObject, name: string): string {
  const field = schema.shape[name] as z.ZodType | undefined;
  const meta = (field?.meta?.() ?? {}) as { 'x-ask'?: string; description?: string };
  return meta['x-ask'] ?? meta.description ?? `What is ${name}?`;
}
