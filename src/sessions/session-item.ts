import { AppError } from '../errors/app-error.js';
import { PayloadTooLargeError } from '../errors/payload-too-large-error.js';
import { Session, type JsonRecord, type PendingRequest } from './session.js';

/**
 * How a Session is laid out in its DynamoDB item. Fixed-shape fields are native attributes;
 * free-form JSON (globalContext, metadata, pendingRequest) is stored as a JSON string so any JSON
 * value round-trips exactly (DynamoDB maps reject some keys and numbers JSON allows).
 * `deleting` marks a session whose delete is in progress (it then reads as not found).
 */
export interface SessionItem {
  sessionId: string;
  userId: string;
  createdAt: string;
  lastActive: string;
  messageCount: number;
  globalContext: string;
  activeWorkflows: string[];
  artifactRefs: string[];
  preferences: Record<string, unknown>;
  status: string;
  metadata: string;
  version: number;
  pendingRequest: string | null;
  deleting?: boolean;
}

/** Largest session item we write, in bytes of JSON (DynamoDB's limit is 400 KB). */
export const MAX_SESSION_ITEM_BYTES = 300 * 1024;

export function jsonField(value: JsonRecord | PendingRequest | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

export function sessionToItem(s: Session): SessionItem {
  return {
    sessionId: s.sessionId,
    userId: s.userId,
    createdAt: s.createdAt,
    lastActive: s.lastActive,
    messageCount: s.messageCount,
    globalContext: JSON.stringify(s.globalContext),
    activeWorkflows: s.activeWorkflows,
    artifactRefs: s.artifactRefs,
    preferences: { ...s.preferences },
    status: s.status,
    metadata: JSON.stringify(s.metadata),
    version: s.version,
    pendingRequest: jsonField(s.pendingRequest),
  };
}

function parseJson(raw: unknown, field: string): unknown {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch (cause) {
    throw new AppError('corrupt_item', `session item field ${field} is not JSON`, { cause });
  }
}

/** Parses a stored item (from DynamoDB or the Redis mirror) into a Session. */
export function itemToSession(item: Record<string, unknown>): Session {
  const parsed = Session.safeParse({
    sessionId: item.sessionId,
    userId: item.userId,
    createdAt: item.createdAt,
    lastActive: item.lastActive,
    messageCount: item.messageCount ?? 0,
    globalContext: parseJson(item.globalContext, 'globalContext'),
    activeWorkflows: item.activeWorkflows,
    artifactRefs: item.artifactRefs,
    preferences: item.preferences,
    status: item.status,
    metadata: parseJson(item.metadata, 'metadata'),
    version: item.version ?? 0,
    pendingRequest: parseJson(item.pendingRequest, 'pendingRequest') ?? null,
  });
  if (!parsed.success) {
    throw new AppError('corrupt_item', `stored session ${String(item.sessionId)} does not match the schema`, {
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}

/** Throws PayloadTooLargeError when the session would outgrow MAX_SESSION_ITEM_BYTES. */
export function assertSessionItemSize(item: SessionItem): void {
  const bytes = Buffer.byteLength(JSON.stringify(item), 'utf8');
  if (bytes > MAX_SESSION_ITEM_BYTES) {
    throw new PayloadTooLargeError(
      `session ${item.sessionId} would be ${bytes} bytes (limit ${MAX_SESSION_ITEM_BYTES}); keep large data in artifacts`,
      { details: { bytes, limit: MAX_SESSION_ITEM_BYTES } },
    );
  }
}
