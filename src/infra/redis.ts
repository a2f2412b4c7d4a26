import { Redis, type RedisOptions } from 'ioredis';
import { ConfigError } from '../errors/config-error.js';
import { ServiceUnavailableError } from '../errors/service-unavailable-error.js';
import type { Logger } from '../logger.js';
import { logConnectionErrors } from './connection-log.js';

/**
 * A Redis connection for our own commands: `maxRetriesPerRequest: null` (a command waits through a
 * reconnect instead of failing on the first lost connection), bounded by `commandTimeout` when the
 * caller gives one. Errors are logged once per outage through `log` (never ioredis's console dump).
 */
export function createRedis(url: string, options: RedisOptions = {}, log?: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
  logConnectionErrors(redis, options.connectionName ?? 'redis', log);
  return redis;
}

/** Resolves when Redis answers PING, or throws ServiceUnavailableError after `timeoutMs`. */
export async function pingRedis(url: string, timeoutMs = 1500): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (cause) {
    throw new ServiceUnavailableError(`Redis does not answer at ${redactUrl(url)}`, { cause });
  } finally {
    client.disconnect();
  }
}

/**
 * BullMQ loses jobs when Redis evicts keys. Throws ConfigError unless `maxmemory-policy` is
 * `noeviction`. A server that forbids CONFIG (some managed Redis) is trusted and `unknown` returned.
 */
export async function assertNoEviction(redis: Redis): Promise<'noeviction' | 'unknown'> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown as string[];
    policy = reply[1];
  } catch {
    return 'unknown';
  }
  if (policy !== undefined && policy !== 'noeviction') {
    throw new ConfigError(
      `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" or it loses jobs. ` +
        'Run `redis-cli CONFIG SET maxmemory-policy noeviction` (and set it in redis.conf).',
    );
  }
  return 'noeviction';
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}

/** Deletes every key matching `pattern` with SCAN + UNLINK (never KEYS, never FLUSHALL). */
export async function deleteByPattern(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}
