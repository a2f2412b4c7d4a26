import { FlowProducer, Queue, type JobsOptions } from 'bullmq';
import type { Config } from '../config.js';
import { logConnectionErrors } from '../infra/connection-log.js';
import type { Services } from '../infra/services.js';
import type { PlanStep } from '../planning/plan.js';

/** Queue families; each has its own worker entry in workers/. */
export const QUEUE = {
  /** One job per user message: route, ask, or start a run and reply. */
  orchestrator: 'orchestrator',
  /** One job per workflow node. */
  nodes: 'nodes',
  /** Coordinator jobs of runs that are not a plain tree (shared dependencies, conditions). */
  flows: 'flows',
  /** Repeatable expiry jobs. */
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export interface Queues {
  orchestrator: Queue;
  nodes: Queue;
  flows: Queue;
  maintenance: Queue;
  flowProducer: FlowProducer;
  all(): Queue[];
  close(): Promise<void>;
}

/** Completed jobs are kept a day (so job status and results stay readable), failed ones a week. */
export const RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

export function createQueues(services: Services): Queues {
  const base = { connection: services.queueConnection, prefix: services.queuePrefix };
  const q = (name: QueueName) => {
    const queue = new Queue(name, { ...base, defaultJobOptions: { ...RETENTION } });
    logConnectionErrors(queue, `queue:${name}`, services.log);
    return queue;
  };
  const queues = {
    orchestrator: q(QUEUE.orchestrator),
    nodes: q(QUEUE.nodes),
    flows: q(QUEUE.flows),
    maintenance: q(QUEUE.maintenance),
  };
  const flowProducer = new FlowProducer(base);
  logConnectionErrors(flowProducer, 'flow-producer', services.log);
  return {
    ...queues,
    flowProducer,
    all: () => Object.values(queues),
    close: async () => {
      await flowProducer.close();
      await Promise.all(Object.values(queues).map((x) => x.close()));
    },
  };
}

/**
 * Options of a node job: retries with exponential backoff from config, and an explicit failure policy
 * towards its parent (`fail` → failParentOnFailure, `ignore` → ignoreDependencyOnFailure).
 */
export function nodeJobOptions(workers: Config['workers'], step: PlanStep, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: workers.attempts,
    backoff: { type: 'exponential', delay: workers.backoffMs },
    ...RETENTION,
    ...(step.onFailure === 'ignore' ? { ignoreDependencyOnFailure: true } : { failParentOnFailure: true }),
  };
}
