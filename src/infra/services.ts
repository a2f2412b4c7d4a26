import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { LOCAL_CREDENTIALS, createDynamo, createS3 } from './aws-clients.js';
import { bootstrapBucket } from './bucket.js';
import { lockDataDir } from './data-dir-lock.js';
import { isDependencyFailure } from './dependency-failure.js';
import { startEmbeddedDynamo, startEmbeddedS3, type EmbeddedServer } from './embedded.js';
import { ensureRedis, type LocalRedis } from './local-redis.js';
import { createRedis } from './redis.js';
import { bootstrapTables, tableNames, type TableNames } from './tables.js';

/** Every external connection a process needs, created once and closed once. */
export interface Services {
  config: Config;
  /** Connection for our own commands (sessions cache, rate limits, idempotency, pub/sub publish). */
  redis: Redis;
  /** Options BullMQ workers and QueueEvents use (blocking connections: they wait through an outage). */
  bullConnection: { url: string; connectionName: string };
  /**
   * Options of BullMQ's non-blocking connections (Queue, FlowProducer): as `bullConnection`, plus a
   * `commandTimeout` of DATAOPS_DEPENDENCY_TIMEOUT_MS, so an enqueue during a Redis outage fails in
   * bounded time instead of waiting for the outage to end.
   */
  queueConnection: { url: string; connectionName: string; commandTimeout: number };
  /** The logger of the process (connection errors of queues made from these services log here). */
  log: Logger | undefined;
  /** BullMQ prefix, with a Redis Cluster hash tag: `{dataops}`. */
  queuePrefix: string;
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
    const redis = createRedis(
      config.redis.url,
      { connectionName: `${config.redis.queuePrefix}:services`, commandTimeout: config.http.dependencyTimeoutMs },
      log,
    );
    closers.push(async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    const tables = tableNames(config.storage.tablePrefix, config.storage.tableSuffix);
    if (config.storage.bootstrap) {
      // a storage process started at the same moment may not listen yet: retry while it is unreachable
      await untilReachable(() => bootstrapTables(raw, tables, log), 60_000);
      await untilReachable(() => bootstrapBucket(s3, config.storage.bucket, config.storage.region), 60_000);
    }
    return {
      config,
      redis,
      bullConnection: { url: config.redis.url, connectionName: `${config.redis.queuePrefix}:bull` },
      queueConnection: { url: config.redis.url, connectionName: `${config.redis.queuePrefix}:bull`, commandTimeout: config.http.dependencyTimeoutMs },
      log,
      queuePrefix: `{${config.redis.queuePrefix}}`,
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
