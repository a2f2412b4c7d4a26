import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Lifecycle of a session. `expired` is set by `cleanupExpiredSessions` after `ttlHours` of inactivity. */
export const SessionStatus = z.enum(['active', 'idle', 'expired']);
export type SessionStatus = z.infer<typeof SessionStatus>;

/** `sess_<uuid>` — the only shape of session id this project issues. */
export const SESSION_ID_PATTERN = /^sess_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const SessionId = z.string().regex(SESSION_ID_PATTERN, 'expected sess_<uuid>');
export type SessionId = z.infer<typeof SessionId>;

export function newSessionId(): string {
  return `sess_${randomUUID()}`;
}

/** An ISO-8601 timestamp in UTC with a `Z` suffix (sortable as a string). */
export const IsoTimestamp = z.iso.datetime();

/** A free-form JSON object. */
export const JsonRecord = z.record(z.string(), z.unknown());
export type JsonRecord = z.infer<typeof JsonRecord>;

/** The preference fields without defaults; `SessionUpdate.preferences` is a partial of this. */
const preferenceFields = {
  /** Model the LLM layer uses for this session. */
  defaultModel: z.string().min(1).max(200),
  /** How many recent messages go into an LLM prompt. */
  maxContextMessages: z.number().int().min(1).max(500),
  /** Compress older context automatically when it grows. */
  autoCompressContext: z.boolean(),
  /** Workflow names the user prefers when intent is ambiguous. */
  preferredWorkflows: z.array(z.string().min(1).max(200)).max(100),
};

/** Per-session preferences, each with its default. */
export const UserPreferences = z
  .object({
    /**
     * Default unset: the operator's DATAOPS_LLM_MODEL. A value must be one of DATAOPS_LLM_MODELS
     * (checked by the SessionManager).
     */
    defaultModel: preferenceFields.defaultModel.optional(),
    /** Default 20 (1..500). */
    maxContextMessages: preferenceFields.maxContextMessages.default(20),
    /** Default true. */
    autoCompressContext: preferenceFields.autoCompressContext.default(true),
    /** Default []. */
    preferredWorkflows: preferenceFields.preferredWorkflows.default([]),
  })
  .strict();
export type UserPreferences = z.infer<typeof UserPreferences>;

/** A partial preferences object; merged over the stored preferences by `update`. */
export const UserPreferencesPatch = z.object(preferenceFields).partial().strict();
export type UserPreferencesPatch = z.infer<typeof UserPreferencesPatch>;

/**
 * The question the orchestrator asked because a workflow lacked parameters. It waits here until
 * the user's next message answers it (or the maintenance job drops it after the pending TTL).
 */
export const PendingRequest = z
  .object({
    /** The workflow that will run once the parameters are known. */
    workflow: z.string().min(1),
    /** Parameters already known. */
    params: JsonRecord,
    /** Names of the parameters still missing. */
    missing: z.array(z.string()),
    /** When the question was asked. */
    askedAt: IsoTimestamp,
    /** The assistant message that asked it, if any. */
    messageId: z.string().optional(),
    /**
     * Every request of the message that asked (a compound request), in the order the user wrote
     * them, with the parameters known so far; `workflow` is among them. They run together, as one
     * plan, once the question is answered. Default: just `workflow`.
     */
    intents: z.array(z.object({ workflow: z.string().min(1), params: JsonRecord }).strict()).max(20).optional(),
  })
  .strict();
export type PendingRequest = z.infer<typeof PendingRequest>;

/**
 * A session as stored (DynamoDB item, mirrored in Redis). Messages never live in it: they are
 * separate items (see message.ts), so the item stays a few KB however long the conversation gets.
 */
export const Session = z
  .object({
    sessionId: SessionId,
    userId: z.string().min(1),
    createdAt: IsoTimestamp,
    /** Last write (message or update); the sort key of the byUser index. */
    lastActive: IsoTimestamp,
    /** Sequence numbers handed out so far; the last message's `seq`. */
    messageCount: z.number().int().min(0),
    globalContext: JsonRecord.default({}),
    activeWorkflows: z.array(z.string()).default([]),
    artifactRefs: z.array(z.string()).default([]),
    preferences: UserPreferences.prefault({}),
    status: SessionStatus.default('active'),
    metadata: JsonRecord.default({}),
    /** Optimistic-lock version; every `update` increments it. */
    version: z.number().int().min(0),
    pendingRequest: PendingRequest.nullable().default(null),
  })
  .strict();
export type Session = z.infer<typeof Session>;

/**
 * The fields a caller may change. Strict: an unknown key is a ValidationError, never silently
 * dropped. `preferences` is partial and merged over the stored preferences; every other field
 * replaces the stored value. `pendingRequest: null` clears the pending question.
 */
export const SessionUpdate = z
  .object({
    globalContext: JsonRecord.optional(),
    activeWorkflows: z.array(z.string().min(1)).max(1000).optional(),
    artifactRefs: z.array(z.string().min(1)).max(10_000).optional(),
    preferences: UserPreferencesPatch.optional(),
    status: SessionStatus.optional(),
    metadata: JsonRecord.optional(),
    pendingRequest: PendingRequest.nullable().optional(),
  })
  .strict();
export type SessionUpdate = z.infer<typeof SessionUpdate>;

/** Options of `SessionManager.create`. */
export const CreateSessionOptions = z
  .object({
    /** Default {}. */
    metadata: JsonRecord.optional(),
    /** Merged over the defaults of UserPreferences. */
    preferences: UserPreferencesPatch.optional(),
    /** Default {}. */
    globalContext: JsonRecord.optional(),
  })
  .strict();
export type CreateSessionOptions = z.infer<typeof CreateSessionOptions>;
