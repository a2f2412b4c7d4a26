import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { publishTerminalEvent } from './events.js';
import { ConfigError } from '../errors/config-error.js';
import type { Runtime } from './create-runtime.js';
import { createCoordinatorProcessor } from './coordinator.js';
import { createMaintenanceProcessor, scheduleMaintenance } from './maintenance.js';
import { createNodeProcessor } from './node-runner.js';
import { createOrchestratorProcessor } from '../assistant/orchestrator.js';
import { QUEUE, type QueueName } from './queues.js';
import { inSessionOrder } from './session-order.js';
import { SessionTurns } from './session-turns.js';
import { uploadFormats } from '../assistant/formats.js';

export interface StartWorkersOptions {
  /** Queues this process works on (families and node queues such as `csv`). Default: all of them. */
  queues?: QueueName[];
  /** Upsert the maintenance job schedulers when the maintenance queue is served. Default true. */
  schedule?: boolean;
}

export interface RunningWorkers {
  workers: Worker[];
  /**
   * Stops taking jobs and waits for active ones up to `boundMs` (default DATAOPS_SHUTDOWN_TIMEOUT_MS),
   * then closes without waiting; `force` does not wait at all.
   */
  close(force?: boolean, boundMs?: number): Promise<void>;
}

/** True when BullMQ will not try the job again (attempts used up, or an unrecoverable error). */
function isFinalFailure(job: Job, err: Error): boolean {
  return err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** The terminal event of a message job that failed for good (once, however many processes see it). */
async function sendJobFailed(rt: Runtime, job: Job, err: Error): Promise<void> {
  const sessionId = (job.data as { sessionId?: unknown } | undefined)?.sessionId;
  if (typeof sessionId !== 'string' || !job.id) return;
  await publishTerminalEvent(rt.services.redis, rt.services.keyPrefix, sessionId, job.id, { type: 'job.failed', jobId: job.id, error: err.message }).catch(
    (e: unknown) => rt.log.warn({ jobId: job.id, err: (e as Error).message }, 'could not publish job.failed'),
  );
}

/** Every queue a process can serve: the orchestrator's, each node queue, the coordinators', maintenance. */
export function allQueueNames(rt: Pick<Runtime, 'producer'>): QueueName[] {
  return [QUEUE.orchestrator, ...rt.producer.queues.routing.names, QUEUE.flows, QUEUE.maintenance];
}

/**
 * Starts BullMQ workers for the given queues, in every partition, with the concurrency, rate limit
 * and locks from config. A queue's concurrency (and rate limit) is shared out over the partitions,
 * rounded up, so one process takes about as many jobs of it as configured.
 */
export async function startWorkers(rt: Runtime, options: StartWorkersOptions = {}): Promise<RunningWorkers> {
  const known = allQueueNames(rt);
  const families = options.queues ?? known;
  const unknown = families.filter((q) => !known.includes(q));
  if (unknown.length) throw new ConfigError(`unknown queue ${unknown.join(', ')}; this process knows ${known.join(', ')}`);
  const { config, services, log } = rt;
  const w = config.workers;
  const base = {
    connection: services.bullConnection,
    prefix: services.queuePrefix,
    lockDuration: w.lockDurationMs,
    stalledInterval: w.stalledIntervalMs,
    maxStalledCount: 2,
  };
  const common = { redis: services.redis, keyPrefix: services.keyPrefix };
  // One session's messages one at a time, in order, across every orchestrator process.
  const inOrder = (p: Processor) =>
    inSessionOrder(p, {
      turns: new SessionTurns(services.redis, services, config.sessions.ttlHours * 3600_000),
      queueFor: (sessionId) => rt.producer.queues.forSession(sessionId).orchestrator,
      missingGraceMs: w.lockDurationMs,
      log: log.child({ component: 'session-order' }),
    });
  const nodeProcessor = createNodeProcessor({ ...common, registry: rt.registry, artifacts: rt.artifacts, log: log.child({ component: 'nodes' }) }) as Processor;
  const processors: Record<QueueName, { processor: Processor; concurrency: number }> = {
    [QUEUE.orchestrator]: {
      processor: inOrder(createOrchestratorProcessor({
        ...common,
        registry: rt.registry,
        sessions: rt.sessions,
        artifacts: rt.artifacts,
        llm: rt.llm,
        queues: rt.producer.queues,
        planner: rt.producer.planner,
        formats: uploadFormats(rt.registry),
        workers: w,
        promptSummary: async (sessionId, maxMessages, session) =>
          (await rt.context.promptSummary(sessionId, { budgetTokens: config.llm.contextTokenBudget, maxMessages, session })).text,
        log: log.child({ component: 'orchestrator' }),
      }) as Processor),
      concurrency: w.orchestratorConcurrency,
    },
    ...Object.fromEntries(rt.producer.queues.routing.names.map((n) => [n, { processor: nodeProcessor, concurrency: w.nodesConcurrency }])),
    [QUEUE.flows]: {
      processor: createCoordinatorProcessor({ ...common, registry: rt.registry, queues: rt.producer.queues, workers: w }) as Processor,
      concurrency: w.nodesConcurrency,
    },
    [QUEUE.maintenance]: {
      processor: createMaintenanceProcessor({
        services,
        sessions: rt.sessions,
        artifacts: rt.artifacts,
        pendingTtlMinutes: config.maintenance.pendingTtlMinutes,
        resumeDeletes: () => rt.context.resumeDeletes(),
        log: log.child({ component: 'maintenance' }),
      }) as Processor,
      concurrency: 1,
    },
  };
  if (families.includes(QUEUE.maintenance) && options.schedule !== false) {
    await scheduleMaintenance(rt.producer.queues, config.maintenance);
  }
  const partitions = rt.producer.queues.partitions;
  const workers = families.flatMap((name) => {
    const { processor, concurrency } = processors[name]!;
    // Maintenance has one queue; every other queue has one per partition.
    const prefixes = name === QUEUE.maintenance ? [services.queuePrefix] : partitions.map((p) => p.prefix);
    const share = (n: number) => Math.max(1, Math.ceil(n / prefixes.length));
    const limit = config.queues.rateLimit[name];
    return prefixes.map((prefix) => {
      const worker = new Worker(name, processor, {
        ...base,
        prefix,
        concurrency: share(config.queues.concurrency[name] ?? concurrency),
        ...(limit ? { limiter: { max: share(limit.max), duration: limit.duration } } : {}),
      });
      worker.on('failed', (job, err) => {
        log.warn({ queue: name, prefix, jobId: job?.id, err: err.message }, 'job failed');
        if (name === QUEUE.orchestrator && job && isFinalFailure(job, err)) void sendJobFailed(rt, job, err);
      });
      worker.on('error', (err) => log.error({ queue: name, prefix, err: err.message }, 'worker error'));
      return worker;
    });
  });
  await Promise.all(workers.map((x) => x.waitUntilReady()));
  return {
    workers,
    close: async (force = false, boundMs = w.shutdownTimeoutMs) => {
      const closing = Promise.all(workers.map((x) => x.close(force)));
      if (force) return void (await closing);
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<'timeout'>((ok) => {
        timer = setTimeout(() => ok('timeout'), boundMs);
      });
      const outcome = await Promise.race([closing.then(() => 'closed' as const), bound]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        log.warn({ ms: boundMs }, 'active jobs did not finish in time; closing without them (they will be retried)');
        // close(true) stops waiting for jobs; it is bounded too, since a processor that never
        // returns must not hold the process
        await Promise.race([Promise.all(workers.map((x) => x.close(true))), new Promise((ok) => setTimeout(ok, 1000).unref())]);
      }
    },
  };
}
