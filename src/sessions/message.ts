import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { IsoTimestamp, JsonRecord, SessionId } from './session.js';

/** Largest message content accepted, in UTF-8 bytes (1 MiB). */
export const MAX_CONTENT_BYTES = 1024 * 1024;
/** Largest message metadata accepted, as JSON in UTF-8 bytes (64 KiB). */
export const MAX_METADATA_BYTES = 64 * 1024;

export const MessageRole = z.enum(['user', 'assistant', 'system']);
export type MessageRole = z.infer<typeof MessageRole>;

/**
 * A message id: generated ones are `msg_<uuid>`; callers may supply their own (letters, digits,
 * `_ . : -`, up to 200 characters) to make an append idempotent.
 */
export const MessageId = z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'expected 1-200 of [A-Za-z0-9_.:-]');
export type MessageId = z.infer<typeof MessageId>;

export function newMessageId(): string {
  return `msg_${randomUUID()}`;
}

/** One stored message. `seq` is its 1-based position in the session (the DynamoDB sort key). */
export const Message = z
  .object({
    messageId: MessageId,
    sessionId: SessionId,
    seq: z.number().int().min(1),
    timestamp: IsoTimestamp,
    role: MessageRole,
    content: z.string(),
    workflow: z.string().nullable(),
    artifacts: z.array(z.string()),
    metadata: JsonRecord,
  })
  .strict();
export type Message = z.infer<typeof Message>;

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Input of `SessionManager.addMessage`. `messageId` makes the append idempotent: a second call with
 * the same id returns the first message instead of appending another.
 */
export const NewMessage = z
  .object({
    role: MessageRole,
    /** At most MAX_CONTENT_BYTES of UTF-8. */
    content: z.string().refine((s) => utf8Bytes(s) <= MAX_CONTENT_BYTES, {
      message: `content is larger than ${MAX_CONTENT_BYTES} bytes`,
    }),
    /** The workflow this message belongs to. Default null. */
    workflow: z.string().min(1).max(200).nullable().optional(),
    /** Artifact ids the message refers to. Default []. */
    artifacts: z.array(z.string().min(1).max(200)).max(500).optional(),
    /** Free-form metadata, at most MAX_METADATA_BYTES as JSON. Default {}. */
    metadata: JsonRecord.refine((m) => utf8Bytes(JSON.stringify(m)) <= MAX_METADATA_BYTES, {
      message: `metadata is larger than ${MAX_METADATA_BYTES} bytes as JSON`,
    }).optional(),
    /** Caller-chosen id for idempotent appends. Default a fresh `msg_<uuid>`. */
    messageId: MessageId.optional(),
  })
  .strict();
export type NewMessage = z.input<typeof NewMessage>;
