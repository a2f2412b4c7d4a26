import { AppError } from '../errors/app-error.js';
import { Message } from './message.js';

/**
 * How a Message is laid out in the messages table (partition `sessionId`, sort `seq`).
 *
 * Content up to INLINE_CONTENT_BYTES is stored inline. Larger content (up to 1 MiB) is split into
 * chunk items under the partition `<sessionId>#c<seq>` (sort = chunk index), written before the
 * message item; the message item then has `content: ""` and `chunks: <count>`. This keeps every
 * item under DynamoDB's 400 KB limit.
 *
 * `claimed` is true when the message was appended with a caller-supplied id, i.e. an idempotency
 * claim item (see claimKey) exists and must be deleted with the message.
 */
export interface MessageItem {
  sessionId: string;
  seq: number;
  messageId: string;
  timestamp: string;
  role: string;
  content: string;
  workflow?: string;
  artifacts: string[];
  metadata: string;
  chunks?: number;
  claimed?: boolean;
}

/**
 * Content larger than this (UTF-8 bytes) goes to chunk items. With the other limits of NewMessage
 * (metadata ≤ 64 KiB, ≤ 500 artifact ids of ≤ 200 characters) a message item stays under 400 KB.
 */
export const INLINE_CONTENT_BYTES = 200 * 1024;

/** Partition key of the chunk items of message `seq`. */
export function chunkPartition(sessionId: string, seq: number): string {
  return `${sessionId}#c${seq}`;
}

/** Key of the idempotency claim of a caller-supplied message id (in the messages table). */
export function claimKey(sessionId: string, messageId: string): { sessionId: string; seq: number } {
  return { sessionId: `${sessionId}#id#${messageId}`, seq: 0 };
}

/** Splits a string into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const buf = Buffer.from(text, 'utf8');
  const parts: string[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = Math.min(start + maxBytes, buf.length);
    // Back off while the byte at `end` is a UTF-8 continuation byte (10xxxxxx).
    while (end < buf.length && end > start && (buf[end]! & 0xc0) === 0x80) end--;
    parts.push(buf.subarray(start, end).toString('utf8'));
    start = end;
  }
  return parts;
}

/** The message item plus the chunk items (if any) that must be written before it. */
export function messageToItems(m: Message, claimed: boolean): { item: MessageItem; chunks: { sessionId: string; seq: number; content: string }[] } {
  const base: MessageItem = {
    sessionId: m.sessionId,
    seq: m.seq,
    messageId: m.messageId,
    timestamp: m.timestamp,
    role: m.role,
    content: m.content,
    ...(m.workflow === null ? {} : { workflow: m.workflow }),
    artifacts: m.artifacts,
    metadata: JSON.stringify(m.metadata),
    ...(claimed ? { claimed: true } : {}),
  };
  if (Buffer.byteLength(m.content, 'utf8') <= INLINE_CONTENT_BYTES) return { item: base, chunks: [] };
  const parts = splitUtf8(m.content, INLINE_CONTENT_BYTES);
  const partition = chunkPartition(m.sessionId, m.seq);
  return {
    item: { ...base, content: '', chunks: parts.length },
    chunks: parts.map((content, i) => ({ sessionId: partition, seq: i, content })),
  };
}

/** Parses a message item; `content` replaces the inline content when the message was chunked. */
export function itemToMessage(item: Record<string, unknown>, content?: string): Message {
  let metadata: unknown = {};
  if (typeof item.metadata === 'string') {
    try {
      metadata = JSON.parse(item.metadata);
    } catch (cause) {
      throw new AppError('corrupt_item', `message ${String(item.messageId)} has bad metadata`, { cause });
    }
  }
  const parsed = Message.safeParse({
    messageId: item.messageId,
    sessionId: item.sessionId,
    seq: item.seq,
    timestamp: item.timestamp,
    role: item.role,
    content: content ?? item.content ?? '',
    workflow: item.workflow ?? null,
    artifacts: item.artifacts ?? [],
    metadata,
  });
  if (!parsed.success) {
    throw new AppError('corrupt_item', `stored message ${String(item.messageId)} does not match the schema`, {
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}
