import { ConfigError } from './errors/config-error.js';
import { EnvSchema, type Env } from './config/env-schema.js';

export { EnvSchema, type Env } from './config/env-schema.js';
export { QUEUE_NAME } from './config/parsers.js';

/** The resolved configuration every component receives. */
export interface Config {
  env: Env['NODE_ENV'];
  logLevel: NonNullable<Env['LOG_LEVEL']>;
  /** Log line format (`LOG_FORMAT`). */
  logFormat: Env['LOG_FORMAT'];
  http: {
    port: number;
    host: string;
    jsonBodyLimit: string;
    /** Express `trust proxy` value (boolean, hop count, or address list). */
    trustProxy: boolean | number | string;
    /** Bound on every dependency call of a request, in ms. */
    dependencyTimeoutMs: number;
    /** `Retry-After` of a 503, in seconds. */
    retryAfterSeconds: number;
    /** WebSocket event connections per user and API process. */
    socketsPerUser: number;
  };
  redis: {
    url: string;
    startLocal: boolean;
    queuePrefix: string;
    /** Seed nodes of a Redis Cluster; empty means the standalone server at `url`. */
    clusterNodes: { host: string; port: number }[];
    username: string | undefined;
    password: string | undefined;
    tls: boolean;
  };
  queues: {
    partitions: number;
    /** `[workflow or area.*, queue]` overrides of a workflow's node queue. */
    workflowQueues: [string, string][];
    /** Queues a nodes worker process serves; empty = its defaults. */
    workerQueues: string[];
    concurrency: Record<string, number>;
    rateLimit: Record<string, { max: number; duration: number }>;
  };
  storage: {
    embedded: boolean;
    dataDir: string;
    bootstrap: boolean;
    region: string;
    dynamoEndpoint: string | undefined;
    s3Endpoint: string | undefined;
    /** Static credentials from the environment, if both parts are set. */
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
    tablePrefix: string;
    tableSuffix: string;
    bucket: string;
  };
  sessions: { ttlHours: number; cacheMessages: number; cacheMaxBytes: number };
  artifacts: {
    ttlDays: number;
    maxBytes: number;
    uploadsPerUser: number;
    snapshotMaxBytes: number;
    /** Age past which an open multipart upload is aborted by the maintenance sweep, in ms. */
    multipartMaxAgeMs: number;
  };
  auth: {
    apiKeys: { userId: string; key: string }[];
    adminUsers: string[];
    jwtSecret: string | undefined;
    jwksUrl: string | undefined;
    jwtIssuer: string | undefined;
    jwtAudience: string | undefined;
    rateLimitPerMinute: number;
    allowCrossUserShare: boolean;
  };
  llm: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    /** The operator's default model. */
    model: string;
    /** Models a session may prefer; always includes `model`. */
    models: string[];
    contextTokenBudget: number;
  };
  workers: {
    orchestratorConcurrency: number;
    nodesConcurrency: number;
    attempts: number;
    backoffMs: number;
    shutdownTimeoutMs: number;
    lockDurationMs: number;
    stalledIntervalMs: number;
  };
  maintenance: { cronSessions: string; cronArtifacts: string; cronPending: string; pendingTtlMinutes: number };
  planning: { maxSteps: number };
}

/** `true`/`false`, a hop count, or an address list, as Express's `trust proxy` setting takes them. */
function parseTrustProxy(raw: string): boolean | number | string {
  const v = raw.toLowerCase();
  if (['', 'false', '0', 'no', 'off'].includes(v)) return false;
  if (['true', 'yes', 'on'].includes(v)) return true;
  if (/^\d+$/.test(v)) return Number(v);
  return raw;
}

/**
 * Reads and validates the environment once. Throws a ConfigError naming every bad variable
 * (never echoing a secret's value).
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`, {
      details: parsed.error.issues.map((i) => ({ variable: i.path.join('.'), message: i.message })),
    });
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const hasAwsCredentials = Boolean(
    e.AWS_ACCESS_KEY_ID || e.AWS_PROFILE || e.AWS_WEB_IDENTITY_TOKEN_FILE || e.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );
  const embedded = e.DATAOPS_EMBEDDED ?? (!e.DYNAMODB_ENDPOINT && !e.S3_ENDPOINT && !hasAwsCredentials);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    logFormat: e.LOG_FORMAT,
    http: {
      port: e.PORT,
      host: e.HOST,
      jsonBodyLimit: e.DATAOPS_JSON_BODY_LIMIT,
      trustProxy: parseTrustProxy(e.DATAOPS_TRUST_PROXY),
      dependencyTimeoutMs: e.DATAOPS_DEPENDENCY_TIMEOUT_MS,
      retryAfterSeconds: e.DATAOPS_RETRY_AFTER_SECONDS,
      socketsPerUser: e.DATAOPS_WS_PER_USER,
    },
    redis: {
      url: e.REDIS_URL,
      startLocal: (e.DATAOPS_START_REDIS ?? !production) && e.REDIS_CLUSTER_NODES.length === 0,
      queuePrefix: e.DATAOPS_QUEUE_PREFIX,
      clusterNodes: e.REDIS_CLUSTER_NODES,
      username: e.REDIS_USERNAME,
      password: e.REDIS_PASSWORD,
      tls: e.REDIS_TLS,
    },
    queues: {
      partitions: e.DATAOPS_QUEUE_PARTITIONS,
      workflowQueues: e.DATAOPS_WORKFLOW_QUEUES,
      workerQueues: e.DATAOPS_WORKER_QUEUES,
      concurrency: Object.fromEntries(e.DATAOPS_QUEUE_CONCURRENCY),
      rateLimit: Object.fromEntries(e.DATAOPS_QUEUE_RATE_LIMIT),
    },
    storage: {
      embedded,
      dataDir: e.DATAOPS_DATA_DIR,
      bootstrap: e.DATAOPS_BOOTSTRAP ?? (embedded || !production),
      region: e.AWS_REGION,
      dynamoEndpoint: e.DYNAMODB_ENDPOINT,
      s3Endpoint: e.S3_ENDPOINT,
      credentials:
        e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
          ? {
              accessKeyId: e.AWS_ACCESS_KEY_ID,
              secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
              ...(e.AWS_SESSION_TOKEN ? { sessionToken: e.AWS_SESSION_TOKEN } : {}),
            }
          : undefined,
      tablePrefix: e.DATAOPS_TABLE_PREFIX,
      tableSuffix: e.DATAOPS_TABLE_SUFFIX,
      bucket: e.DATAOPS_BUCKET,
    },
    sessions: {
      ttlHours: e.DATAOPS_SESSION_TTL_HOURS,
      cacheMessages: e.DATAOPS_SESSION_CACHE_MESSAGES,
      cacheMaxBytes: e.DATAOPS_SESSION_CACHE_MAX_BYTES,
    },
    artifacts: {
      ttlDays: e.DATAOPS_ARTIFACT_TTL_DAYS,
      maxBytes: e.DATAOPS_ARTIFACT_MAX_BYTES,
      uploadsPerUser: e.DATAOPS_UPLOADS_PER_USER,
      snapshotMaxBytes: e.DATAOPS_SNAPSHOT_MAX_BYTES,
      multipartMaxAgeMs: e.DATAOPS_MULTIPART_MAX_AGE_MS,
    },
    auth: {
      apiKeys: e.DATAOPS_API_KEYS,
      adminUsers: e.DATAOPS_ADMIN_USERS,
      jwtSecret: e.DATAOPS_JWT_SECRET,
      jwksUrl: e.DATAOPS_JWKS_URL,
      jwtIssuer: e.DATAOPS_JWT_ISSUER,
      jwtAudience: e.DATAOPS_JWT_AUDIENCE,
      rateLimitPerMinute: e.DATAOPS_RATE_LIMIT_PER_MINUTE,
      allowCrossUserShare: e.DATAOPS_ALLOW_CROSS_USER_SHARE,
    },
    llm: {
      apiKey: e.ANTHROPIC_API_KEY,
      baseUrl: e.ANTHROPIC_BASE_URL,
      model: e.DATAOPS_LLM_MODEL,
      models: [...new Set([e.DATAOPS_LLM_MODEL, ...e.DATAOPS_LLM_MODELS])],
      contextTokenBudget: e.DATAOPS_CONTEXT_TOKEN_BUDGET,
    },
    workers: {
      orchestratorConcurrency: e.DATAOPS_ORCHESTRATOR_CONCURRENCY,
      nodesConcurrency: e.DATAOPS_NODES_CONCURRENCY,
      attempts: e.DATAOPS_JOB_ATTEMPTS,
      backoffMs: e.DATAOPS_JOB_BACKOFF_MS,
      shutdownTimeoutMs: e.DATAOPS_SHUTDOWN_TIMEOUT_MS,
      lockDurationMs: e.DATAOPS_LOCK_DURATION_MS,
      stalledIntervalMs: e.DATAOPS_STALLED_INTERVAL_MS,
    },
    maintenance: {
      cronSessions: e.DATAOPS_CRON_SESSIONS,
      cronArtifacts: e.DATAOPS_CRON_ARTIFACTS,
      cronPending: e.DATAOPS_CRON_PENDING,
      pendingTtlMinutes: e.DATAOPS_PENDING_TTL_MINUTES,
    },
    planning: { maxSteps: e.DATAOPS_MAX_PLAN_STEPS },
  };
}
