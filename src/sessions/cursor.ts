import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';

/**
 * Opaque pagination cursors: base64url of a small JSON value. Callers must treat them as opaque;
 * a cursor that does not decode to the expected shape is a ValidationError.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new ValidationError('invalid cursor', { cause, details: [{ path: ['cursor'], message: 'not a cursor' }] });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('invalid cursor', { details: parsed.error.issues });
  return parsed.data;
}

/** Cursor of `listMessages`: the last seq returned. */
export const MessageCursor = z.object({ s: z.number().int().min(0) }).strict();

/** Cursor of `listUserSessions`: DynamoDB's LastEvaluatedKey on the byUser index. */
export const UserSessionsCursor = z
  .object({ sessionId: z.string(), userId: z.string(), lastActive: z.string() })
  .strict();
