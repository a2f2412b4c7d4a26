import type { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';

/** Parses `value` with `schema`; a ValidationError naming each bad path (and changing nothing) otherwise. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ValidationError(`invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, {
      details: r.error.issues,
    });
  }
  return r.data;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
