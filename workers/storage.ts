/**
 * `npm run storage`: embedded storage as its own process, so Procfile-style local runs (API,
 * orchestrator, nodes, maintenance as separate processes) can share one data directory. It serves
 * dynalite (DynamoDB) and s3rver (S3) on the loopback ports of DYNAMODB_ENDPOINT and S3_ENDPOINT
 * (default http://127.0.0.1:4566 and :4567), persisting under DATAOPS_DATA_DIR, creates the tables
 * and the bucket, and holds the data directory's lock. The other processes get the same two
 * endpoints and connect to it.
 */
import { loadConfig, type Config } from '../src/config.js';
import { AppError } from '../src/errors/app-error.js';
import { ConfigError } from '../src/errors/config-error.js';
import { LOCAL_CREDENTIALS, createDynamo, createS3 } from '../src/infra/aws-clients.js';
import { bootstrapBucket } from '../src/infra/bucket.js';
import { lockDataDir } from '../src/infra/data-dir-lock.js';
import { startEmbeddedDynamo, startEmbeddedS3 } from '../src/infra/embedded.js';
import { isLoopback } from '../src/infra/services.js';
import { bootstrapTables, tableNames } from '../src/infra/tables.js';
import { createLogger } from '../src/logger.js';
import { installShutdown } from './shutdown.js';

/** The loopback port an endpoint URL names. */
function portOf(variable: string, endpoint: string): number {
  if (!isLoopback(endpoint)) throw new ConfigError(`${variable} must be a loopback URL (http://127.0.0.1:<port>) for the storage process to serve it`);
  const u = new URL(endpoint);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  if (u.protocol !== 'http:' || port === 0) throw new ConfigError(`${variable} must be http://127.0.0.1:<port> with a fixed port`);
  return port;
}

async function main(config: Config): Promise<void> {
  const log = createLogger(config.logLevel, { service: 'storage' });
  const dynamoEndpoint = config.storage.dynamoEndpoint ?? 'http://127.0.0.1:4566';
  const s3Endpoint = config.storage.s3Endpoint ?? 'http://127.0.0.1:4567';
  const dynamoPort = portOf('DYNAMODB_ENDPOINT', dynamoEndpoint);
  const s3Port = portOf('S3_ENDPOINT', s3Endpoint);
  const lock = await lockDataDir(config.storage.dataDir);
  try {
    const dynamo = await startEmbeddedDynamo({ dataDir: config.storage.dataDir, port: dynamoPort });
    const s3 = await startEmbeddedS3({ dataDir: config.storage.dataDir, port: s3Port });
    const target = { region: config.storage.region, credentials: LOCAL_CREDENTIALS };
    const { raw } = createDynamo({ ...target, endpoint: dynamo.endpoint });
    const s3Client = createS3({ ...target, endpoint: s3.endpoint });
    await bootstrapTables(raw, tableNames(config.storage.tablePrefix, config.storage.tableSuffix), log);
    await bootstrapBucket(s3Client, config.storage.bucket, config.storage.region);
    raw.destroy();
    s3Client.destroy();
    log.info({ dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint, dataDir: config.storage.dataDir, pid: process.pid }, 'storage running');
    installShutdown(log, config.workers.shutdownTimeoutMs, async () => {
      await dynamo.close();
      await s3.close();
      await lock.release();
    });
  } catch (err) {
    await lock.release();
    throw err;
  }
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
await main(config).catch((err: unknown) => {
  process.stderr.write(`storage: ${err instanceof AppError ? err.message : String(err)}\n`);
  process.exit(1);
});
