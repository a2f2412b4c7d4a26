import { resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ConnectionOptions } from 'bullmq';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { LOCAL_CREDENTIALS, createDynamo, createS3 } from './aws-clients.js';
import { bootstrapBucket } from './bucket.js';
import { lockDataDir } from './data-dir-lock.js';
import { isDependencyFailure } from './dependency-failure.js';
import { startEmbeddedDynamo, startEmbeddedS3, type EmbeddedServer } from './embedded.js';
import { ensureRedis, type LocalRedis } from './local-redis.js';
import { createRedisClient, type RedisClient } from './redis.js';
import { partitionTags } from '../runtime/partitions.js';
import { claimStorage } from './storage-claim.js';
import { bootstrapTables, tableNames, type TableNames } from './tables.js';

/** Every external connection a process needs, created once and closed once. */
export interface Services {
  config: Config;
  /** Connection for our own commands (sessions cache, rate limits, idempotency, pub/sub publish); a Cluster client on a cluster. */
  redis: RedisClient;
  /**
   * What BullMQ workers and QueueEvents connect with (blocking connections: they wait through an
   * outage). Standalone: options, so each creates its own connections (named after the prefix).
   * Cluster: one shared Cluster client (workers and QueueEvents duplicate it for blocking commands).
   */
  bullConnection: ConnectionOptions;
  /**
   * What BullMQ's non-blocking users (Queue, FlowProducer) connect with: as `bullConnection`, plus a
   * `commandTimeout` of DATAOPS_DEPENDENCY_TIMEOUT_MS, so an enqueue during a Redis outage fails in
   * bounded time instead of waiting for the outage to end.
   */
  queueConnection: ConnectionOptions;
  /** The logger of the process (connection errors of queues made from these services log here). */
  log: Logger | undefined;
  /** BullMQ prefix, with a Redis Cluster hash tag: `{dataops}` (the maintenance queue and instance keys). */
  queuePrefix: string;
  /** BullMQ prefix of each queue partition (`DATAOPS_QUEUE_PARTITIONS`); one partition: `[queuePrefix]`. */
  partitionPrefixes: string[];
  /** Prefix of every other Redis key this project writes: `dataops:`. */
  keyPrefix: string;
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  tables: TableNames;
  bucket: string;
  close(): Promise<void>;
}

/** True for an http(s) URL on a loopback host. */
export function isLoopback(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/** Runs `f`, retrying while its dependency is unreachable, for up to `ms`. */
async function untilReachable<T>(f: () => Promise<T>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (err) {
      if (!isDependencyFailure(err) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Connects to Redis, DynamoDB and S3 as the config says. With embedded storage it starts dynalite
 * and s3rver in-process (persisting under the data dir). With bootstrap on, tables and the bucket
 * are created if missing.
 */
export async function createServices(config: Config, log?: Logger): Promise<Services> {
  const closers: (() => Promise<void>)[] = [];
  try {
    let localRedis: LocalRedis | undefined;
    if (config.redis.startLocal) {
      localRedis = await ensureRedis(config.redis.url, true, config.storage.dataDir);
      if (localRedis) {
        log?.info({ url: localRedis.url }, 'started a local redis-server');
        closers.push(() => localRedis!.stop());
      }
    }
    let dynamoEndpoint = config.storage.dynamoEndpoint;
    let s3Endpoint = config.storage.s3Endpoint;
    let credentials = config.storage.credentials;
    if (config.storage.embedded && (!dynamoEndpoint || !s3Endpoint)) {
      const lock = await lockDataDir(config.storage.dataDir);
      closers.push(() => lock.release());
    }
    if (config.storage.embedded) {
      const servers: EmbeddedServer[] = [];
      if (!dynamoEndpoint) servers.push(await startEmbeddedDynamo({ dataDir: config.storage.dataDir }));
      if (!s3Endpoint) servers.push(await startEmbeddedS3({ dataDir: config.storage.dataDir }));
      let i = 0;
      if (!dynamoEndpoint) dynamoEndpoint = servers[i++]!.endpoint;
      if (!s3Endpoint) s3Endpoint = servers[i++]!.endpoint;
      for (const s of servers) closers.push(() => s.close());
      credentials ??= LOCAL_CREDENTIALS;
      log?.info({ dynamoEndpoint, s3Endpoint, dataDir: config.storage.dataDir }, 'embedded storage running');
    }
    // a storage process on loopback (workers/storage.ts) takes any credentials, like the in-process servers
    if (!credentials && isLoopback(dynamoEndpoint) && isLoopback(s3Endpoint)) credentials = LOCAL_CREDENTIALS;
    const timeoutMs = config.http.dependencyTimeoutMs;
    const { raw, doc } = createDynamo({ region: config.storage.region, endpoint: dynamoEndpoint, credentials, timeoutMs });
    const s3 = createS3({ region: config.storage.region, endpoint: s3Endpoint, credentials, timeoutMs });
    closers.push(async () => {
      raw.destroy();
      s3.destroy();
    });
    // Named, so `CLIENT LIST` shows whose connection it is (and tests can find leaks).
    // commandTimeout bounds every command (queued while disconnected or not) by the dependency timeout.
    const redis = createRedisClient(
      config.redis,
      { connectionName: `${config.redis.queuePrefix}:services`, commandTimeout: config.http.dependencyTimeoutMs, enableAutoPipelining: true },
      log,
    );
    closers.push(async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    const bullName = `${config.redis.queuePrefix}:bull`;
    let bullConnection: ConnectionOptions = { url: config.redis.url, connectionName: bullName };
    let queueConnection: ConnectionOptions = { url: config.redis.url, connectionName: bullName, commandTimeout: config.http.dependencyTimeoutMs };
    if (config.redis.clusterNodes.length > 0) {
      // BullMQ needs a Cluster instance (it cannot build one from options); these two are shared.
      const blocking = createRedisClient(config.redis, { connectionName: bullName }, log);
      const bounded = createRedisClient(config.redis, { connectionName: bullName, commandTimeout: config.http.dependencyTimeoutMs }, log);
      for (const c of [blocking, bounded]) {
        closers.push(async () => {
          await c.quit().catch(() => c.disconnect());
        });
      }
      bullConnection = blocking;
      queueConnection = bounded;
    }
    const queuePrefix = `{${config.redis.queuePrefix}}`;
    await claimStorage(redis, config.redis.queuePrefix, storageIdentity(config), log);
    const tables = tableNames(config.storage.tablePrefix, config.storage.tableSuffix);
    if (config.storage.bootstrap) {
      // a storage process started at the same moment may not listen yet: retry while it is unreachable
      await untilReachable(() => bootstrapTables(raw, tables, log), 60_000);
      await untilReachable(() => bootstrapBucket(s3, config.storage.bucket, config.storage.region), 60_000);
    }
    return {
      config,
      redis,
      bullConnection,
      queueConnection,
      log,
      queuePrefix,
      partitionPrefixes: partitionTags(config.redis.queuePrefix, config.queues.partitions).map((t) => `{${t}}`),
      keyPrefix: `${config.redis.queuePrefix}:`,
      dynamo: raw,
      doc,
      s3,
      tables,
      bucket: config.storage.bucket,
      close: async () => {
        for (const c of closers.reverse()) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    throw err;
  }
}

/** What identifies an instance's storage: two instances that share a queue prefix must agree on it. */
export function storageIdentity(config: Config): Record<string, string> {
  const st = config.storage;
  return {
    dynamodb: st.embedded && !st.dynamoEndpoint ? `embedded:${resolve(st.dataDir)}` : (st.dynamoEndpoint ?? `aws:${st.region}`),
    s3: st.embedded && !st.s3Endpoint ? `embedded:${resolve(st.dataDir)}` : (st.s3Endpoint ?? `aws:${st.region}`),
    tables: `${st.tablePrefix}*${st.tableSuffix}`,
    bucket: st.bucket,
  };
}
