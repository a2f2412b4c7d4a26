import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config.js';
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

/** A standalone connection or a Redis Cluster client: the commands this project uses work on both. */
export type RedisClient = Redis | Cluster;

/** True for a Redis Cluster client. */
export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/**
 * The one factory of Redis connections: a Cluster client when `REDIS_CLUSTER_NODES` is set (with
 * REDIS_USERNAME / REDIS_PASSWORD / REDIS_TLS), else a standalone connection to REDIS_URL. Both get
 * `maxRetriesPerRequest: null`, so BullMQ may use them (it duplicates them for blocking commands).
 */
export function createRedisClient(redis: Config['redis'], options: RedisOptions = {}, log?: Logger): RedisClient {
  if (redis.clusterNodes.length === 0) return createRedis(redis.url, options, log);
  const cluster = new Cluster(redis.clusterNodes, {
    redisOptions: {
      maxRetriesPerRequest: null,
      enableReadyCheck: true,
      ...(redis.username ? { username: redis.username } : {}),
      ...(redis.password ? { password: redis.password } : {}),
      ...(redis.tls ? { tls: {} } : {}),
      ...options,
    },
    // Queue keys move only when slots do; a MOVED reply refreshes the map right away.
    slotsRefreshTimeout: 2000,
  });
  logConnectionErrors(cluster, options.connectionName ?? 'redis-cluster', log);
  return cluster;
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
export async function assertNoEviction(redis: RedisClient): Promise<'noeviction' | 'unknown'> {
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

/** The connections SCAN, INFO and DBSIZE must visit: every master of a cluster, or the one server. */
export function primaries(redis: RedisClient): Redis[] {
  return isCluster(redis) ? redis.nodes('master') : [redis];
}

/**
 * Deletes every key matching `pattern` with SCAN + UNLINK (never KEYS, never FLUSHALL), on every
 * master of a cluster. Keys are unlinked one per command there (they may sit in different slots).
 */
export async function deleteByPattern(redis: RedisClient, pattern: string): Promise<number> {
  let removed = 0;
  for (const node of primaries(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      if (!isCluster(redis)) removed += await node.unlink(...keys);
      else for (const k of keys) removed += await node.unlink(k);
    } while (cursor !== '0');
  }
  return removed;
}
