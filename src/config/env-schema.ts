import { z } from 'zod';
import { QUEUE_NAME, apiKeyList, boolish, cron, csvList, hostPortList, int, optionalString, pairList } from './parsers.js';

/**
 * Every setting, with its environment variable and default. `src/config.ts` (the only reader of
 * `process.env` in the project) parses it; the README's configuration table mirrors it.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** pino level. Default `info` (`silent` under tests). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Log line format: `json`, `pretty` (needs the pino-pretty dev dependency), or `auto` = pretty when stdout is a terminal. Default `auto`. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /** HTTP port of the API. Default 3000. */
  PORT: int(0, 65535).default(3000),
  /** Interface the API binds. Default `127.0.0.1`; `0.0.0.0` in containers. */
  HOST: z.string().default('127.0.0.1'),
  /** Redis for queues, hot sessions, rate limits, idempotency. Default `redis://127.0.0.1:6379`. */
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Comma-separated `host:port` seed nodes of a Redis Cluster; set, every Redis user talks cluster. Default unset (REDIS_URL). */
  REDIS_CLUSTER_NODES: hostPortList,
  /** Redis ACL user for the cluster nodes (REDIS_URL carries its own). Default unset. */
  REDIS_USERNAME: optionalString,
  /** Redis password for the cluster nodes (REDIS_URL carries its own). Default unset. */
  REDIS_PASSWORD: optionalString,
  /** Talk TLS to the cluster nodes (`rediss://` does it for REDIS_URL). Default false. */
  REDIS_TLS: boolish.default(false),
  /** Start `redis-server` locally when none answers at REDIS_URL (local only). Default true outside production. */
  DATAOPS_START_REDIS: boolish.optional(),
  /** BullMQ key prefix; wrapped in `{…}` so each queue's keys share a Redis Cluster slot. Default `dataops`. */
  DATAOPS_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('dataops'),
  /**
   * Queue partitions: each is a full queue set under its own hash tag, and a session always uses the
   * same one, so a Redis Cluster spreads queue traffic over its shards. Default 1 (one `{prefix}` tag).
   */
  DATAOPS_QUEUE_PARTITIONS: int(1, 64).default(1),
  /**
   * Node queue per workflow, overriding the workflow's own `queue`: `csv.profile=csv-big,jil.*=jil`
   * (`area.*` matches a whole area). Default none.
   */
  DATAOPS_WORKFLOW_QUEUES: pairList('workflow=queue', /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$/, (v) => (QUEUE_NAME.test(v) ? v : undefined)),
  /** Queues a `workers/nodes.ts` process serves, e.g. `csv` or `jil,nodes,flows`. Default every node queue and `flows`. */
  DATAOPS_WORKER_QUEUES: csvList.refine((l) => l.every((q) => QUEUE_NAME.test(q)), 'expected comma-separated queue names'),
  /** Worker concurrency per queue, `csv=2,jil=16`. Default DATAOPS_NODES_CONCURRENCY (orchestrator: its own). */
  DATAOPS_QUEUE_CONCURRENCY: pairList('queue=number', QUEUE_NAME, (v) => (/^\d{1,4}$/.test(v) && Number(v) >= 1 ? Number(v) : undefined)),
  /** BullMQ rate limit per queue, `csv=10/60000` (at most 10 jobs per 60000 ms). Default none. */
  DATAOPS_QUEUE_RATE_LIMIT: pairList('queue=max/ms', QUEUE_NAME, (v) => {
    const m = /^(\d{1,6})\/(\d{1,9})$/.exec(v);
    return m && Number(m[1]) >= 1 && Number(m[2]) >= 1 ? { max: Number(m[1]), duration: Number(m[2]) } : undefined;
  }),
  /** Embedded storage directory (dynalite + s3rver). Default `.dataops`. */
  DATAOPS_DATA_DIR: z.string().default('.dataops'),
  /** Create tables and the bucket at startup. Default true when embedded, false otherwise. */
  DATAOPS_BOOTSTRAP: boolish.optional(),
  /** DynamoDB endpoint (LocalStack, DynamoDB Local). Unset: AWS, or embedded dynalite when no credentials. */
  DYNAMODB_ENDPOINT: z.string().url().optional(),
  /** S3 endpoint (LocalStack, MinIO). Unset: AWS, or embedded s3rver when no credentials. */
  S3_ENDPOINT: z.string().url().optional(),
  /** AWS region. Default `us-east-1`. */
  AWS_REGION: z.string().default('us-east-1'),
  /** Static AWS credentials; unset means the SDK's default chain (profile, role, IRSA). */
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  AWS_SESSION_TOKEN: optionalString,
  AWS_PROFILE: optionalString,
  AWS_WEB_IDENTITY_TOKEN_FILE: optionalString,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: optionalString,
  /** Force embedded storage on (true) or off (false). Default: on when no endpoint and no AWS credentials. */
  DATAOPS_EMBEDDED: boolish.optional(),
  /** Table name prefix. Default `dataops_`. */
  DATAOPS_TABLE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]*$/).default('dataops_'),
  /** Table name suffix (tests use a random one). Default empty. */
  DATAOPS_TABLE_SUFFIX: z.string().regex(/^[A-Za-z0-9_.-]*$/).default(''),
  /** S3 bucket for artifact content. Default `dataops-artifacts`. */
  DATAOPS_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/).default('dataops-artifacts'),
  /** Hours of inactivity before a session expires. Default 24. */
  DATAOPS_SESSION_TTL_HOURS: int(1).default(24),
  /** Recent messages mirrored in Redis per session. Default 100. */
  DATAOPS_SESSION_CACHE_MESSAGES: int(1, 10_000).default(100),
  /** Bytes of recent messages mirrored in Redis per session (older ones are read from DynamoDB). Default 1 MiB. */
  DATAOPS_SESSION_CACHE_MAX_BYTES: int(1024).default(1024 * 1024),
  /** Days before an artifact expires. Default 30. */
  DATAOPS_ARTIFACT_TTL_DAYS: int(1).default(30),
  /** Largest artifact accepted, in bytes. Default 1 GiB. */
  DATAOPS_ARTIFACT_MAX_BYTES: int(1).default(1024 * 1024 * 1024),
  /**
   * Age in ms past which the maintenance sweep aborts an open multipart upload (parts a crashed upload
   * left in S3); must exceed the longest upload. Default 86400000 (24 hours).
   */
  DATAOPS_MULTIPART_MAX_AGE_MS: int(1000).default(86_400_000),
  /** Uploads one user may stream at once (each holds a few multipart parts in memory); 429 beyond. Default 4. */
  DATAOPS_UPLOADS_PER_USER: int(1, 1000).default(4),
  /** Largest decoded context snapshot read (bounds gunzip output), in bytes. Default 32 MiB. */
  DATAOPS_SNAPSHOT_MAX_BYTES: int(1024).default(32 * 1024 * 1024),
  /** Comma-separated `userId:key` API keys. Default none (npm start then generates a development key). */
  DATAOPS_API_KEYS: apiKeyList,
  /** Comma-separated user ids allowed into Bull Board and admin routes. Default none. */
  DATAOPS_ADMIN_USERS: csvList,
  /** HS256 secret for JWT bearer tokens. Default unset (JWTs refused unless a JWKS URL is set). */
  DATAOPS_JWT_SECRET: optionalString,
  /** JWKS URL for RS256/ES256 JWTs. Default unset. */
  DATAOPS_JWKS_URL: z.string().url().optional(),
  /** Required JWT `iss`. Default unset (not checked). */
  DATAOPS_JWT_ISSUER: optionalString,
  /** Required JWT `aud`. Default unset (not checked). */
  DATAOPS_JWT_AUDIENCE: optionalString,
  /** Requests per minute per user and route class. Default 600. */
  DATAOPS_RATE_LIMIT_PER_MINUTE: int(1).default(600),
  /** Allow sharing an artifact into another user's session. Default false. */
  DATAOPS_ALLOW_CROSS_USER_SHARE: boolish.default(false),
  /** Largest JSON request body. Default `1mb`. */
  DATAOPS_JSON_BODY_LIMIT: z.string().default('1mb'),
  /**
   * Express `trust proxy`: `false` (default, use the socket address), `true`, a hop count (`1`), or
   * comma-separated addresses/subnets/names (`loopback, 10.0.0.0/8`). Decides the client IP the
   * failed-authentication throttle sees behind a load balancer.
   */
  DATAOPS_TRUST_PROXY: z.string().trim().default('false'),
  /**
   * Longest an API request waits on Redis, DynamoDB or S3 before it answers 503 (and how long one
   * dependency call may take). Default 5000 ms.
   */
  DATAOPS_DEPENDENCY_TIMEOUT_MS: int(100, 600_000).default(5000),
  /** `Retry-After` (seconds) of a 503 when a dependency is down. Default 5. */
  DATAOPS_RETRY_AFTER_SECONDS: int(1, 3600).default(5),
  /** WebSocket event connections one user may hold per API process; 429 beyond. Default 20. */
  DATAOPS_WS_PER_USER: int(1, 10_000).default(20),
  /** Anthropic API key; unset means the offline router. */
  ANTHROPIC_API_KEY: optionalString,
  /** Anthropic base URL (tests point it at a local fake). Default the SDK's. */
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  /** The model used when a session names none (the operator's default). Default `claude-sonnet-4-20250514`. */
  DATAOPS_LLM_MODEL: z.string().min(1).max(200).default('claude-sonnet-4-20250514'),
  /**
   * Models a session may choose in `preferences.defaultModel` (comma-separated); `DATAOPS_LLM_MODEL`
   * is always allowed. Default: only `DATAOPS_LLM_MODEL`.
   */
  DATAOPS_LLM_MODELS: csvList,
  /** Orchestrator worker concurrency. Default 4. */
  DATAOPS_ORCHESTRATOR_CONCURRENCY: int(1, 1000).default(4),
  /** Node worker concurrency. Default 8. */
  DATAOPS_NODES_CONCURRENCY: int(1, 1000).default(8),
  /** Attempts per node job (1 = no retry). Default 3. */
  DATAOPS_JOB_ATTEMPTS: int(1, 100).default(3),
  /** First retry delay in ms (exponential). Default 1000. */
  DATAOPS_JOB_BACKOFF_MS: int(0).default(1000),
  /**
   * BullMQ job lock duration in ms; a crashed worker's job is picked up again within this plus
   * DATAOPS_STALLED_INTERVAL_MS (measured by test/integration/engine-crash.test.ts). Default 30000.
   */
  DATAOPS_LOCK_DURATION_MS: int(1000).default(30_000),
  /** How often workers look for stalled jobs (from crashed workers), in ms. Default 30000. */
  DATAOPS_STALLED_INTERVAL_MS: int(500).default(30_000),
  /** Context size (≈ tokens) above which a session that prefers it gets its context compressed. Default 4000. */
  DATAOPS_CONTEXT_TOKEN_BUDGET: int(100).default(4000),
  /** How long SIGTERM waits for active jobs, in ms. Default 30000. */
  DATAOPS_SHUTDOWN_TIMEOUT_MS: int(0).default(30_000),
  /** Cron for expiring sessions. Default every 15 minutes. */
  DATAOPS_CRON_SESSIONS: cron.default('*/15 * * * *'),
  /** Cron for expiring artifacts. Default hourly. */
  DATAOPS_CRON_ARTIFACTS: cron.default('0 * * * *'),
  /** Cron for dropping stale pending requests. Default every 10 minutes. */
  DATAOPS_CRON_PENDING: cron.default('*/10 * * * *'),
  /** Minutes after which an unanswered question for missing parameters is dropped. Default 60. */
  DATAOPS_PENDING_TTL_MINUTES: int(1).default(60),
  /** Most steps (workflow nodes, inserted prerequisites included) one run may compile to; more is a 400. Default 1000. */
  DATAOPS_MAX_PLAN_STEPS: int(1, 1_000_000).default(1000),
});
export type Env = z.infer<typeof EnvSchema>;

