import { loadConfig, type Config } from '../../config.js';
import { ConfigError } from '../../errors/config-error.js';
import { createLogger, type Logger } from '../../logger.js';
import { createRuntime } from '../../runtime/create-runtime.js';
import type { WorkflowRegistry } from '../../workflows/registry.js';
import { ServiceProducer } from './service-producer.js';

export interface CreateProducerOptions {
  /**
   * Environment to read the configuration from: the same variables as the server's (REDIS_URL,
   * DATAOPS_QUEUE_PREFIX, DYNAMODB_ENDPOINT, S3_ENDPOINT, table and bucket names…). Default `process.env`.
   */
  env?: Record<string, string | undefined>;
  /** An already loaded configuration; wins over `env`. */
  config?: Config;
  /** The workflows plans are compiled against; must match the workers'. Default: the built-ins. */
  registry?: WorkflowRegistry;
  /** Logger. Default: pino at the configured level, `component: producer`. */
  log?: Logger;
}

/**
 * The in-network producer, built from configuration: it connects to the instance's Redis, DynamoDB
 * and S3 (it never starts local ones and never creates tables: the instance owns them) and runs the
 * API's own request path (validation, tenancy, planning, idempotency) without HTTP.
 */
export async function createProducer(options: CreateProducerOptions = {}): Promise<ServiceProducer> {
  const loaded = options.config ?? loadConfig(options.env);
  if (loaded.storage.embedded && (!loaded.storage.dynamoEndpoint || !loaded.storage.s3Endpoint)) {
    throw new ConfigError(
      'the producer uses the instance’s storage: set DYNAMODB_ENDPOINT and S3_ENDPOINT (the embedded servers of a local instance, or LocalStack), or AWS credentials for AWS',
    );
  }
  const config: Config = {
    ...loaded,
    redis: { ...loaded.redis, startLocal: false },
    storage: { ...loaded.storage, embedded: false, bootstrap: false },
  };
  const log = options.log ?? createLogger(config.logLevel, { component: 'producer' });
  const rt = await createRuntime(config, log, options.registry ? { registry: options.registry } : {});
  return new ServiceProducer(rt);
}
