import type { z } from 'zod';
import { ValidationError } from '../../../../errors/index.js';

/** Parses `input` with `schema`, throwing ValidationError (details = zod issues) on failure. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const summary = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ValidationError(`invalid ${what}: ${summary}`, { details: r.error.issues });
  }
  return r.data;
}
