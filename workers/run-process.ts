import { loadConfig, type Config } from '../src/config.js';
import { AppError } from '../src/errors/app-error.js';
import { assertNoEviction } from '../src/infra/redis.js';
import { createLogger, type Logger } from '../src/logger.js';
import { installShutdown } from './shutdown.js';
import { startWorkers } from '../src/runtime/workers.js';
import type { QueueName } from '../src/runtime/queues.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../src/runtime/create-runtime.js';

export interface ProcessHooks {
  /** Passed to createRuntime (another workflow registry, an LLM client). Default: none. */
  runtime?: RuntimeOptions;
  /** Runs after the workers started (the all-in-one entry starts the API here). Returns a closer. */
  afterStart?: (rt: Runtime, log: Logger) => Promise<(() => Promise<void>) | void>;
  /** Adjusts the config before anything starts (e.g. adds a development key). */
  prepare?: (config: Config) => Promise<Config>;
  /** Runs last, once everything is up (the all-in-one entry prints its banner here, after the logs). */
  ready?: (rt: Runtime) => void;
}

/**
 * A worker process: config → runtime → BullMQ workers for `families`. Refuses to start when Redis
 * may evict keys. SIGTERM/SIGINT: stop taking jobs and let active ones finish within
 * DATAOPS_SHUTDOWN_TIMEOUT_MS; a second signal exits at once (jobs left active are retried by
 * another worker once their lock expires).
 */
export async function runWorkerProcess(name: string, queues: QueueName[] | ((rt: Runtime) => QueueName[]), hooks: ProcessHooks = {}): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel, { service: name }, { format: config.logFormat });
  let rt: Runtime;
  let families: QueueName[];
  let workers: Awaited<ReturnType<typeof startWorkers>>;
  try {
    if (hooks.prepare) config = await hooks.prepare(config);
    rt = await createRuntime(config, log, hooks.runtime);
    families = typeof queues === 'function' ? queues(rt) : queues;
    if (families.length) await assertNoEviction(rt.services.redis);
    workers = await startWorkers(rt, { queues: families });
  } catch (err) {
    log.fatal({ err: err instanceof AppError ? err.message : err }, `${name} could not start`);
    process.stderr.write(`${name}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  let closeExtra: (() => Promise<void>) | undefined;
  try {
    closeExtra = (await hooks.afterStart?.(rt, log)) ?? undefined;
  } catch (err) {
    log.fatal({ err: err instanceof AppError ? err.message : err }, `${name} could not start`);
    process.stderr.write(`${name}: ${(err as Error).message}\n`);
    await workers.close(true).catch(() => undefined);
    await rt.close().catch(() => undefined);
    process.exit(1);
  }
  log.info({ queues: families, pid: process.pid }, `${name} running`);
  hooks.ready?.(rt);
  installShutdown(log, config.workers.shutdownTimeoutMs, async (boundMs) => {
    if (closeExtra) await closeExtra();
    await workers.close(false, boundMs);
    await rt.close();
  });
}
