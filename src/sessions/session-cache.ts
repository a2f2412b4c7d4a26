import type { RedisClient } from '../infra/redis.js';
import type { Logger } from '../logger.js';
import { ADD_MESSAGE, PUT_SESSION, TOMBSTONE, WARM_TAIL, runScript } from './cache-scripts.js';
import { Message } from './message.js';
import { Session } from './session.js';

/** Redis key of a session's cached item. The `{id}` hash tag keeps both keys in one cluster slot. */
export function sessionCacheKey(keyPrefix: string, sessionId: string): string {
  return `${keyPrefix}sess:{${sessionId}}`;
}

/** Redis key of a session's recent-message tail (a sorted set by seq). */
export function messagesCacheKey(keyPrefix: string, sessionId: string): string {
  return `${keyPrefix}sess:{${sessionId}}:msgs`;
}

/** Version written by a delete's tombstone: higher than any real version. */
const DELETED_VERSION = Number.MAX_SAFE_INTEGER;
/** How long a tombstone blocks stale re-caching, in ms. */
const TOMBSTONE_MS = 60_000;

/**
 * The hot mirror in Redis of sessions and their recent messages. DynamoDB is the source of truth:
 * callers write DynamoDB first, then merge the result in here. Methods throw on Redis errors;
 * the manager decides what a failure means (reads fall back to DynamoDB, failed writes evict).
 */
export class SessionCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    /** Entry TTL in ms (the session TTL). */
    private readonly ttlMs: number,
    /** Messages kept in the tail. */
    private readonly maxMessages: number,
    private readonly log?: Logger,
    /** Bytes of message JSON kept in the tail (config: DATAOPS_SESSION_CACHE_MAX_BYTES). Default 1 MiB. */
    private readonly maxBytes = 1024 * 1024,
  ) {}

  private keys(sessionId: string): [string, string] {
    return [sessionCacheKey(this.keyPrefix, sessionId), messagesCacheKey(this.keyPrefix, sessionId)];
  }

  /** The cached session, or undefined on a miss (absent, partial, tombstoned or unreadable). */
  async getSession(sessionId: string): Promise<Session | undefined> {
    const [hashKey] = this.keys(sessionId);
    const h = await this.redis.hgetall(hashKey);
    if (!h.doc || h.version === undefined || h.messageCount === undefined || h.lastActive === undefined) return undefined;
    try {
      const doc = JSON.parse(h.doc) as Record<string, unknown>;
      return Session.parse({ ...doc, version: Number(h.version), messageCount: Number(h.messageCount), lastActive: h.lastActive });
    } catch (err) {
      this.log?.warn({ sessionId, err: (err as Error).message }, 'unreadable session cache entry; ignoring it');
      return undefined;
    }
  }

  /** Merges a session read from or written to DynamoDB (newer version / larger counters win). */
  async putSession(s: Session): Promise<void> {
    const [hashKey] = this.keys(s.sessionId);
    await runScript(this.redis, PUT_SESSION, [hashKey], [JSON.stringify(s), s.version, s.messageCount, s.lastActive, this.ttlMs]);
  }

  /** Adds one stored message to the tail and raises the cached counters. */
  async addMessage(m: Message): Promise<void> {
    await runScript(this.redis, ADD_MESSAGE, this.keys(m.sessionId), [m.seq, JSON.stringify(m), this.maxMessages, this.ttlMs, m.timestamp, this.maxBytes]);
  }

  /**
   * The newest `count` messages (oldest first) if the tail provably holds them, else undefined.
   * The tail holds them when it has a floor F and either F ≤ 1 (the whole session is cached) or
   * its newest `count` messages all have seq ≥ F.
   */
  async getTail(sessionId: string, count: number): Promise<Message[] | undefined> {
    const [, tailKey] = this.keys(sessionId);
    const res = await this.redis
      .multi()
      .zscore(tailKey, '#floor')
      .zrevrangebyscore(tailKey, '+inf', 1, 'LIMIT', 0, count)
      .exec();
    if (!res) return undefined;
    const [[e1, floorRaw], [e2, raw]] = res as [[Error | null, string | null], [Error | null, string[]]];
    if (e1 || e2 || floorRaw === null) return undefined;
    const floor = -Number(floorRaw);
    const messages: Message[] = [];
    try {
      for (const json of raw) messages.push(Message.parse(JSON.parse(json)));
    } catch (err) {
      this.log?.warn({ sessionId, err: (err as Error).message }, 'unreadable message cache entry; ignoring the tail');
      return undefined;
    }
    messages.reverse();
    if (floor <= 1) return messages;
    if (messages.length === count && messages[0]!.seq >= floor) return messages;
    return undefined;
  }

  /**
   * Fills the tail from a DynamoDB read of the newest messages (`newest`, oldest first). `complete`
   * means the read reached the first message of the session.
   */
  async warmTail(sessionId: string, newest: Message[], complete: boolean): Promise<void> {
    const keep = newest.slice(-this.maxMessages);
    if (keep.length === 0 && !complete) return;
    const floor = complete && keep.length === newest.length ? 1 : keep[0]!.seq;
    const args: (string | number)[] = [this.maxMessages, this.ttlMs, floor, this.maxBytes];
    for (const m of keep) args.push(m.seq, JSON.stringify(m));
    const [, tailKey] = this.keys(sessionId);
    await runScript(this.redis, WARM_TAIL, [tailKey], args);
  }

  /**
   * Removes both entries, leaving a short tombstone at `version` (after an expiry: the new
   * version - 1, so the expired item may be cached again; after a delete: no version ever again).
   */
  async evict(sessionId: string, version: number | 'deleted'): Promise<void> {
    const v = version === 'deleted' ? DELETED_VERSION : version;
    await runScript(this.redis, TOMBSTONE, this.keys(sessionId), [v, TOMBSTONE_MS]);
  }

  /** Drops the tail only (after a failed tail write, so no reader trusts an incomplete tail). */
  async dropTail(sessionId: string): Promise<void> {
    const [, tailKey] = this.keys(sessionId);
    await this.redis.del(tailKey);
  }
}
