import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';

/** The bySession index position a page ends at (the index key plus the table key). */
export const ListCursor = z
  .object({ sessionId: z.string().min(1), createdAt: z.string().min(1), artifactId: z.string().min(1) })
  .strict();
export type ListCursor = z.infer<typeof ListCursor>;

/** Opaque, URL-safe form of a cursor. */
export function encodeCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify([c.sessionId, c.createdAt, c.artifactId]), 'utf8').toString('base64url');
}

/** Reverses `encodeCursor`; a cursor that is malformed or from another session is a ValidationError. */
export function decodeCursor(raw: string, sessionId: string): ListCursor {
  let parsed: ListCursor | undefined;
  try {
    const arr = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(arr) && arr.length === 3) {
      const r = ListCursor.safeParse({ sessionId: arr[0], createdAt: arr[1], artifactId: arr[2] });
      if (r.success) parsed = r.data;
    }
  } catch {
    // fall through
  }
  if (!parsed) throw new ValidationError('invalid cursor: pass the nextCursor of a previous page unchanged');
  if (parsed.sessionId !== sessionId) throw new ValidationError('invalid cursor: it belongs to another session');
  return parsed;
}
