import { z } from 'zod';
import { ConflictError } from '../errors/conflict-error.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Services } from '../infra/services.js';
import type { Logger } from '../logger.js';
import { CacheGuard } from './cache-guard.js';
import { formatContextSummary } from './context-summary.js';
import { ListMessagesOptions, ListUserSessionsOptions, type Page, type UpdateOptions } from './list-options.js';
export { ListMessagesOptions, ListUserSessionsOptions, type Page, type UpdateOptions } from './list-options.js';
import { MessageCursor, UserSessionsCursor, decodeCursor, encodeCursor } from './cursor.js';
import type { Message, NewMessage } from './message.js';
import { MessageAppender, type AddMessageOptions } from './message-appender.js';
export type { AddMessageOptions } from './message-appender.js';
import { MessageStore } from './message-store.js';
import { CreateSessionOptions, SESSION_ID_PATTERN, Session, SessionUpdate, UserPreferences, newSessionId } from './session.js';
import { SeqAllocator, type SeqGrant } from './seq-allocator.js';
import { SessionCache } from './session-cache.js';
import { parseInput, sleep } from './parse-input.js';
import { sessionSideKeys, sessionTurnKeys, type TurnKeyspace } from './session-keys.js';
import { assertSessionItemSize, jsonField, sessionToItem } from './session-item.js';
import { SessionStore, type SessionItemPatch } from './session-store.js';

export interface SessionManagerOptions {
  /** Redis, DynamoDB clients and table names. */
  services: Services;
  /** Hours without activity before `cleanupExpiredSessions` expires a session; also the Redis entry TTL (config.sessions.ttlHours). */
  ttlHours: number;
  /** Recent messages mirrored per session in Redis (config.sessions.cacheMessages). */
  cacheMessages: number;
  /** Bytes of recent messages mirrored per session in Redis (config.sessions.cacheMaxBytes). Default 1 MiB. */
  cacheMaxBytes?: number;
  /** Logger for cache failures and expiry counts. Default: none. */
  log?: Logger;
  /** Read-apply-write attempts of `update`/`updateWith` before a ConflictError. Default 8. */
  maxUpdateAttempts?: number;
  /**
   * Models a session may name in `preferences.defaultModel` (config.llm.models); any other is a
   * ValidationError on create and update. Default: no check (any model name).
   */
  allowedModels?: readonly string[];
}

const UserId = z.string().min(1).max(256);
const Count = z.number().int().min(1).max(1000);

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * Sessions and their messages. DynamoDB is the source of truth; Redis mirrors each session item
 * and the recent tail of its messages (see cache-scripts.ts for how concurrent writers merge).
 *
 * Appending never rewrites a list: `addMessage` takes the next seq with one atomic UpdateItem on the
 * session item (ADD messageCount n, where n appends of this process that arrived together share one
 * call — see seq-allocator.ts), puts the message as its own item (partition sessionId, sort seq)
 * with attribute_not_exists, then merges it into the Redis tail. The session item never holds
 * messages, so it stays a few KB whatever the conversation's length.
 *
 * Gaps: every seq taken is written by its taker (the put is conditional and safe to retry), so in
 * normal operation seqs are 1..messageCount without holes. A process that dies between taking a
 * seq and putting the message leaves a hole, except for appends with a caller-supplied messageId,
 * whose retry fills the seq the dead writer took. Readers tolerate holes: seq orders messages, it
 * is not an index — pages and tails simply skip a missing seq, and `messageCount` counts seqs taken.
 *
 * Idempotency: an append with `messageId` (and neither `fresh` nor a reserved `seq`) first claims it with a conditional put of a small claim
 * item (messages table, partition `<sessionId>#id#<messageId>`), records the seq in the claim
 * before putting the message, and a repeat of the same id returns the stored message — after
 * merging it into the Redis tail again, so a writer that died between the two writes is repaired.
 */
export class SessionManager {
  private readonly ttlHours: number;
  private readonly log: Logger | undefined;
  private readonly maxUpdateAttempts: number;
  private readonly store: SessionStore;
  private readonly messages: MessageStore;
  private readonly cache: SessionCache;
  private readonly guard: CacheGuard;
  private readonly appender: MessageAppender;
  private readonly allowedModels: ReadonlySet<string> | undefined;
  private readonly redis: Services['redis'];
  private readonly keyPrefix: string;
  private readonly turnKeyspace: TurnKeyspace;

  constructor(options: SessionManagerOptions) {
    this.ttlHours = options.ttlHours;
    this.allowedModels = options.allowedModels ? new Set(options.allowedModels) : undefined;
    this.log = options.log?.child({ component: 'sessions' });
    this.maxUpdateAttempts = options.maxUpdateAttempts ?? 8;
    const { doc, tables, redis, keyPrefix } = options.services;
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.turnKeyspace = { keyPrefix, partitionPrefixes: options.services.partitionPrefixes };
    this.store = new SessionStore(doc, tables.sessions);
    this.messages = new MessageStore(doc, tables.sessions, tables.messages);
    this.cache = new SessionCache(redis, keyPrefix, options.ttlHours * 3600_000, options.cacheMessages, this.log, options.cacheMaxBytes);
    this.guard = new CacheGuard(this.cache, this.log);
    this.appender = new MessageAppender(this.messages, new SeqAllocator(this.messages), this.guard, (id) => this.reactivate(id));
  }

  // ---- sessions -----------------------------------------------------------------------------

  async create(userId: string, opts: CreateSessionOptions = {}): Promise<Session> {
    parseInput(UserId, userId, 'userId');
    const o = parseInput(CreateSessionOptions, opts, 'session options');
    this.checkModel(o.preferences?.defaultModel);
    const now = new Date().toISOString();
    const session = Session.parse({
      sessionId: newSessionId(),
      userId,
      createdAt: now,
      lastActive: now,
      messageCount: 0,
      globalContext: o.globalContext ?? {},
      activeWorkflows: [],
      artifactRefs: [],
      preferences: UserPreferences.parse(o.preferences ?? {}),
      status: 'active',
      metadata: o.metadata ?? {},
      version: 1,
      pendingRequest: null,
    });
    const item = sessionToItem(session);
    assertSessionItemSize(item);
    await this.store.create(item);
    await this.guard.write(session.sessionId, () => this.cache.putSession(session), session.version - 1);
    return session;
  }

  /** The session; NotFoundError if unknown or deleted. Reading does not count as activity. */
  async get(sessionId: string): Promise<Session> {
    const s = await this.getOrNull(sessionId);
    if (!s) throw new NotFoundError(`session ${sessionId} not found`);
    return s;
  }

  /** The session from Redis, else from DynamoDB (warming Redis), else null. */
  async getOrNull(sessionId: string): Promise<Session | null> {
    if (!SESSION_ID_PATTERN.test(sessionId)) return null;
    const cached = await this.cache.getSession(sessionId).catch((err: unknown) => this.guard.failed(sessionId, 'read', err));
    if (cached) return cached;
    const stored = await this.store.get(sessionId);
    if (!stored) return null;
    await this.cache.putSession(stored).catch((err: unknown) => this.guard.failed(sessionId, 'warm', err));
    return stored;
  }

  /**
   * Applies a SessionUpdate (validated: unknown keys or wrong types are a ValidationError and
   * change nothing) with an optimistic conditional write on `version`.
   */
  async update(sessionId: string, patch: unknown, options: UpdateOptions = {}): Promise<Session> {
    const p = parseInput(SessionUpdate, patch, 'session update');
    return this.updateWith(sessionId, () => p, options);
  }

  /**
   * Read-modify-write: `fn` gets the current session and returns the update to apply. If another
   * writer changed the session in between, `fn` runs again on the fresh session (up to
   * `maxUpdateAttempts` times, then ConflictError). An empty update with `touch: false` writes nothing.
   */
  async updateWith(
    sessionId: string,
    fn: (session: Session) => SessionUpdate | Promise<SessionUpdate>,
    options: UpdateOptions = {},
  ): Promise<Session> {
    if (!SESSION_ID_PATTERN.test(sessionId)) throw new NotFoundError(`session ${sessionId} not found`);
    for (let attempt = 0; attempt < this.maxUpdateAttempts; attempt++) {
      // First attempt trusts the cache (the version check catches staleness); retries read DynamoDB.
      const current = attempt === 0 ? await this.getOrNull(sessionId) : await this.store.get(sessionId);
      if (!current) throw new NotFoundError(`session ${sessionId} not found`);
      if (options.ifVersion !== undefined && current.version !== options.ifVersion) {
        if (attempt === 0 && current.version < options.ifVersion) continue; // a stale cache entry: read DynamoDB
        throw new ConflictError(`session ${sessionId} changed since version ${options.ifVersion} (now ${current.version})`);
      }
      const p = parseInput(SessionUpdate, await fn(current), 'session update');
      this.checkModel(p.preferences?.defaultModel);
      const itemPatch = this.toItemPatch(current, p);
      if (Object.keys(itemPatch).length === 0 && options.touch === false) return current; // nothing to write
      assertSessionItemSize({ ...sessionToItem(current), ...itemPatch });
      const now = options.touch === false ? undefined : new Date().toISOString();
      const updated = await this.store.updateIfVersion(sessionId, current.version, itemPatch, now);
      if (updated) {
        await this.guard.write(sessionId, () => this.cache.putSession(updated), updated.version - 1);
        return updated;
      }
      await sleep(Math.random() * 10 * 2 ** Math.min(attempt, 5));
    }
    throw new ConflictError(`session ${sessionId} kept changing; gave up after ${this.maxUpdateAttempts} attempts`);
  }

  /**
   * The model a session's LLM calls use: its `preferences.defaultModel` while the operator allows
   * it, else undefined (the LLM client then uses the operator's default, DATAOPS_LLM_MODEL).
   */
  modelFor(session: Session): string | undefined {
    const m = session.preferences.defaultModel;
    if (m === undefined || (this.allowedModels && !this.allowedModels.has(m))) return undefined;
    return m;
  }

  private checkModel(model: string | undefined): void {
    if (model === undefined || !this.allowedModels || this.allowedModels.has(model)) return;
    const allowed = [...this.allowedModels];
    throw new ValidationError(`preferences.defaultModel "${model.slice(0, 200)}" is not offered here; choose one of: ${allowed.join(', ')}`, {
      details: [{ path: ['preferences', 'defaultModel'], message: `expected one of: ${allowed.join(', ')}` }],
    });
  }

  private toItemPatch(current: Session, p: SessionUpdate): SessionItemPatch {
    const out: SessionItemPatch = {};
    if (p.globalContext !== undefined) out.globalContext = JSON.stringify(p.globalContext);
    if (p.activeWorkflows !== undefined) out.activeWorkflows = p.activeWorkflows;
    if (p.artifactRefs !== undefined) out.artifactRefs = p.artifactRefs;
    if (p.preferences !== undefined) out.preferences = { ...UserPreferences.parse({ ...current.preferences, ...p.preferences }) };
    if (p.status !== undefined) out.status = p.status;
    if (p.metadata !== undefined) out.metadata = JSON.stringify(p.metadata);
    if (p.pendingRequest !== undefined) out.pendingRequest = jsonField(p.pendingRequest);
    return out;
  }

  /** A user's sessions, most recently active first. */
  async listUserSessions(userId: string, options: ListUserSessionsOptions = {}): Promise<Page<Session>> {
    parseInput(UserId, userId, 'userId');
    const o = parseInput(ListUserSessionsOptions, options, 'list options');
    const start = o.cursor ? decodeCursor(o.cursor, UserSessionsCursor) : undefined;
    if (start && start.userId !== userId) throw new ValidationError('cursor belongs to another listing');
    const { items, lastKey } = await this.store.byUser(userId, o.activeOnly, o.limit, start);
    return { items, nextCursor: lastKey && items.length === o.limit ? encodeCursor(lastKey) : null };
  }

  /**
   * Marks sessions inactive for more than `ttlHours` as `expired` (a conditional update, so a
   * session that got a message meanwhile is left alone) and drops them from Redis. Returns how
   * many were expired. Scans the whole sessions table page by page.
   */
  async cleanupExpiredSessions(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.ttlHours * 3600_000).toISOString();
    let expired = 0;
    for await (const ids of this.store.inactiveSince(cutoff)) {
      await forEachLimit(ids, 8, async (id) => {
        const version = await this.store.expire(id, cutoff);
        if (version === undefined) return;
        expired++;
        await this.cache.evict(id, version - 1).catch((err: unknown) => this.guard.failed(id, 'evict', err));
      });
    }
    if (expired > 0) this.log?.info({ expired, cutoff }, 'expired inactive sessions');
    return expired;
  }

  /**
   * Deletes the session, all its messages and every Redis key kept beside it (cache, tail,
   * compressed prompt context, orchestrator turns). NotFoundError if unknown. `cascade` runs once the
   * session is flagged as being deleted (appends fail, reads say not found) and before its item goes:
   * the caller removes what hangs off the session there (artifacts, checkpoints — see
   * ContextManager.deleteSession). A delete that crashed part-way leaves the flag, and
   * `resumeDeletes` (the maintenance worker) finishes it.
   */
  async delete(sessionId: string, options: { cascade?: (sessionId: string) => Promise<void> } = {}): Promise<void> {
    if (!SESSION_ID_PATTERN.test(sessionId) || !(await this.store.markDeleting(sessionId))) {
      throw new NotFoundError(`session ${sessionId} not found`);
    }
    await this.finishDelete(sessionId, options.cascade);
  }

  private async finishDelete(sessionId: string, cascade?: (sessionId: string) => Promise<void>): Promise<void> {
    await this.cache.evict(sessionId, 'deleted').catch((err: unknown) => this.guard.failed(sessionId, 'evict', err));
    if (cascade) await cascade(sessionId);
    await this.messages.deleteAll(sessionId);
    await this.store.delete(sessionId);
    // A writer that took its seq just before the flag may have put its message (or artifact) after the sweep.
    await this.messages.deleteAll(sessionId);
    if (cascade) await cascade(sessionId);
    await this.cache.evict(sessionId, 'deleted').catch((err: unknown) => this.guard.failed(sessionId, 'evict', err));
    await this.redis.del(...Object.values(sessionSideKeys(this.keyPrefix, sessionId))).catch((err: unknown) => this.guard.failed(sessionId, 'delete keys', err));
    // the turn keys sit in the session's queue partition (another slot than the `{id}` keys)
    await this.redis.del(...Object.values(sessionTurnKeys(this.turnKeyspace, sessionId))).catch((err: unknown) => this.guard.failed(sessionId, 'delete keys', err));
  }

  /** Finishes deletes that crashed part-way (sessions still flagged `deleting`); returns how many. */
  async resumeDeletes(cascade?: (sessionId: string) => Promise<void>): Promise<number> {
    let n = 0;
    for await (const ids of this.store.flaggedDeleting()) {
      for (const id of ids) {
        await this.finishDelete(id, cascade);
        n++;
      }
    }
    if (n > 0) this.log?.info({ sessions: n }, 'finished interrupted session deletes');
    return n;
  }

  // ---- messages -----------------------------------------------------------------------------

  /**
   * Takes the seq of a message to append later with `addMessage(…, { seq })`. A caller that keeps
   * the grant where its retries find it (e.g. its job's data) appends idempotently with one put and
   * no claim item.
   */
  reserveSeq(sessionId: string): Promise<SeqGrant> {
    return this.appender.reserveSeq(sessionId);
  }

  /**
   * Appends a message and returns it with its seq. With `messageId`, a repeat of the same id
   * returns the stored message instead of appending a second one (see `AddMessageOptions` for the
   * cheaper ways a caller that knows more gets the same guarantee).
   */
  async addMessage(sessionId: string, input: NewMessage, options: AddMessageOptions = {}): Promise<Message> {
    return this.appender.add(sessionId, input, options);
  }

  /**
   * A message to an `expired` session brings it back: status `active`, and its inactivity clock
   * restarts (the append set `lastActive`). The seq was taken with the session's status in the same
   * atomic update, so an expiry that raced the append is seen here; an expiry after it fails its
   * own `lastActive` condition.
   */
  private async reactivate(sessionId: string): Promise<void> {
    await this.updateWith(sessionId, (s) => (s.status === 'expired' ? { status: 'active' } : {}), { touch: false });
    this.log?.info({ sessionId }, 'expired session reactivated by a new message');
  }

  /** The newest `count` messages, oldest first: from Redis when its tail covers them, else DynamoDB (then warms Redis). */
  async getRecentMessages(sessionId: string, count = 10): Promise<Message[]> {
    parseInput(Count, count, 'count');
    if (!SESSION_ID_PATTERN.test(sessionId)) throw new NotFoundError(`session ${sessionId} not found`);
    const tail = await this.cache.getTail(sessionId, count).catch((err: unknown) => this.guard.failed(sessionId, 'read tail', err));
    if (tail) return tail;
    const [session, newest] = await Promise.all([this.getOrNull(sessionId), this.messages.newest(sessionId, count)]);
    if (!session) throw new NotFoundError(`session ${sessionId} not found`);
    await this.cache
      .warmTail(sessionId, newest.messages, newest.complete)
      .catch((err: unknown) => this.guard.failed(sessionId, 'warm tail', err));
    return newest.messages;
  }

  /** Every message of the session, oldest first, a page at a time (from DynamoDB). */
  async listMessages(sessionId: string, options: ListMessagesOptions = {}): Promise<Page<Message>> {
    const o = parseInput(ListMessagesOptions, options, 'list options');
    const after = o.cursor ? decodeCursor(o.cursor, MessageCursor).s : 0;
    if (!SESSION_ID_PATTERN.test(sessionId)) throw new NotFoundError(`session ${sessionId} not found`);
    const [session, page] = await Promise.all([this.getOrNull(sessionId), this.messages.page(sessionId, after, o.limit)]);
    if (!session) throw new NotFoundError(`session ${sessionId} not found`);
    const last = page.messages.at(-1);
    return { items: page.messages, nextCursor: page.more && last ? encodeCursor({ s: last.seq }) : null };
  }

  /**
   * The session as text for an LLM prompt (header, the newest `maxMessages` messages — default the
   * session's `preferences.maxContextMessages` — and the session context). NotFoundError if unknown.
   */
  async getContextSummary(sessionId: string, maxMessages?: number): Promise<string> {
    const session = await this.get(sessionId);
    const recent = await this.getRecentMessages(sessionId, maxMessages ?? session.preferences.maxContextMessages);
    return formatContextSummary(session, recent);
  }
}
