import type { RedisClient } from '../infra/redis.js';
import { runScript } from '../sessions/cache-scripts.js';
import { onceHash } from './once-key.js';

/** What `begin` found. */
export type OnceStatus =
  /** No record: this caller created it (pending) and must do the work, then `complete`. */
  | 'new'
  /** A record from an earlier attempt that never completed: re-drive the work with its `value`. */
  | 'pending'
  /** The work is done: return `value`, do nothing again. */
  | 'done';

export interface OnceClaim<T> {
  status: OnceStatus;
  /** The ids the first attempt chose (for `new`: the proposal just recorded). */
  value: T;
}

/** KEYS: record. ARGV: value JSON, ttl seconds. Creates a pending record or returns the existing one. */
const BEGIN = `
if redis.call('HSETNX', KEYS[1], 'value', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'state', 'pending')
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return {'new', ARGV[1]}
end
return {redis.call('HGET', KEYS[1], 'state') or 'pending', redis.call('HGET', KEYS[1], 'value')}
`;

/** KEYS: record. ARGV: value JSON, ttl seconds. pending → done, only for the record holding this value. */
const COMPLETE = `
if redis.call('HGET', KEYS[1], 'value') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done')
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * Exactly-once records in Redis: the Redis side of the project's one idempotency mechanism (see
 * src/idempotency/README.md). A record is named by a hash of what the effect is for (`parts`), is
 * created *pending* together with the ids the work will use, and becomes *done* after the work.
 * A repeat finds the record: done → the first result; pending → the earlier attempt died (or is
 * still running), and the work is driven again with the same ids — safe because every step of it
 * is itself keyed by those ids (conditional creates, deterministic job ids).
 */
export class OnceRecords {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  private key(parts: readonly string[]): string {
    return `${this.keyPrefix}once:${onceHash(parts)}`;
  }

  /** Creates the pending record with `proposal`, or returns the record an earlier attempt made. */
  async begin<T>(parts: readonly string[], proposal: T, ttlSeconds: number): Promise<OnceClaim<T>> {
    const r = (await runScript(this.redis, BEGIN, [this.key(parts)], [JSON.stringify(proposal), ttlSeconds])) as [string, string];
    const status: OnceStatus = r[0] === 'done' ? 'done' : r[0] === 'new' ? 'new' : 'pending';
    return { status, value: JSON.parse(r[1]) as T };
  }

  /** Marks the record done (keeping its value) for another `ttlSeconds`. */
  async complete<T>(parts: readonly string[], value: T, ttlSeconds: number): Promise<void> {
    await runScript(this.redis, COMPLETE, [this.key(parts)], [JSON.stringify(value), ttlSeconds]);
  }
}
