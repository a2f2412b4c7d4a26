import type { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';

export type InputPart = 'body' | 'query' | 'params' | 'header';

/**
 * Parses one part of a request with its zod schema; a failure is a ValidationError whose message
 * names every bad field and whose `details` are the zod issues (each path prefixed with the part).
 */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: InputPart): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ ...i, path: [part, ...i.path] }));
  const summary = issues
    .map((i) => {
      const keys = 'keys' in i && Array.isArray(i.keys) ? ` (${i.keys.join(', ')})` : '';
      return `${i.path.map(String).join('.')}: ${i.message}${keys}`;
    })
    .join('; ');
  throw new ValidationError(`Invalid request ${part}: ${summary}`, { details: issues });
}
