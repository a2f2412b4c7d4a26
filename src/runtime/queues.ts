import { FlowProducer, Queue, type JobsOptions } from 'bullmq';
import type { Config } from '../config.js';
import { logConnectionErrors } from '../infra/connection-log.js';
import type { Services } from '../infra/services.js';
import type { PlanStep } from '../planning/plan.js';
import { WorkflowRegistry } from '../workflows/registry.js';
import { nodeRouting, type NodeRouting } from './node-routing.js';
import { sessionPartition } from './partitions.js';

/** Queue families; each has its own worker entry in workers/. Workflows may add node queues of their own. */
export const QUEUE = {
  /** One job per user message: route, ask, or start a run and reply. */
  orchestrator: 'orchestrator',
  /** Node jobs of workflows that name no queue of their own (and engine joins). */
  nodes: 'nodes',
  /** Coordinator jobs of runs that are not a plain tree (shared dependencies, conditions). */
  flows: 'flows',
  /** Repeatable expiry jobs. */
  maintenance: 'maintenance',
} as const;
/** A queue a worker can serve: a family above or a node queue named by workflows (`csv`, `jil`…). */
export type QueueName = string;

/** The queues of one partition: one hash tag, so a run's flow (all its jobs) stays in one slot. */
export interface QueueSet {
  index: number;
  /** BullMQ prefix with the partition's hash tag, e.g. `{dataops}`. */
  prefix: string;
  orchestrator: Queue;
  flows: Queue;
  /** Node queues by name. */
  nodeQueues: ReadonlyMap<string, Queue>;
  /** The node queue `name` of this partition (the default one for an unknown name). */
  node(name: string): Queue;
}

export interface Queues {
  /** Partition 0's orchestrator queue (with one partition, the only one). */
  orchestrator: Queue;
  /** Partition 0's default node queue. */
  nodes: Queue;
  /** Partition 0's coordinator queue. */
  flows: Queue;
  /** The one maintenance queue (under the plain `{prefix}` tag). */
  maintenance: Queue;
  flowProducer: FlowProducer;
  partitions: readonly QueueSet[];
  routing: NodeRouting;
  /** The partition of a session (every message and run of it). */
  forSession(sessionId: string): QueueSet;
  /** The partition a qualified queue name (`{tag}:name`, as in `job.queueQualifiedName`) belongs to. */
  byQualifiedName(qualifiedName: string): QueueSet | undefined;
  all(): Queue[];
  close(): Promise<void>;
}

/** Completed jobs are kept a day (so job status and results stay readable), failed ones a week. */
export const RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

/**
 * Every queue of every partition. `routing` says which node queues exist (default: only `nodes`).
 * One FlowProducer serves all partitions: each flow job names its own prefix.
 */
export function createQueues(services: Services, routing: NodeRouting = nodeRouting(new WorkflowRegistry())): Queues {
  const connection = services.queueConnection;
  const q = (name: string, prefix: string) => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions: { ...RETENTION } });
    logConnectionErrors(queue, `queue:${prefix}:${name}`, services.log);
    return queue;
  };
  const partitions = services.partitionPrefixes.map((prefix, index): QueueSet => {
    const nodeQueues = new Map(routing.names.map((n) => [n, q(n, prefix)]));
    const fallback = nodeQueues.get(routing.names[0]!)!;
    return { index, prefix, orchestrator: q(QUEUE.orchestrator, prefix), flows: q(QUEUE.flows, prefix), nodeQueues, node: (n) => nodeQueues.get(n) ?? fallback };
  });
  const first = partitions[0]!;
  const maintenance = q(QUEUE.maintenance, services.queuePrefix);
  const flowProducer = new FlowProducer({ connection, prefix: first.prefix });
  logConnectionErrors(flowProducer, 'flow-producer', services.log);
  const all = () => [...partitions.flatMap((p) => [p.orchestrator, ...p.nodeQueues.values(), p.flows]), maintenance];
  return {
    orchestrator: first.orchestrator,
    nodes: first.node(QUEUE.nodes),
    flows: first.flows,
    maintenance,
    flowProducer,
    partitions,
    routing,
    forSession: (sessionId) => partitions[sessionPartition(sessionId, partitions.length)]!,
    byQualifiedName: (name) => partitions.find((p) => name.startsWith(`${p.prefix}:`)),
    all,
    close: async () => {
      await flowProducer.close();
      await Promise.all(all().map((x) => x.close()));
    },
  };
}

/**
 * Options of a node job: retries with exponential backoff from config, and an explicit failure policy
 * towards its parent (`fail` → failParentOnFailure, `ignore` → ignoreDependencyOnFailure).
 */
export function nodeJobOptions(workers: Config['workers'], step: PlanStep, jobId: string, hasParent = true): JobsOptions {
  const opts: JobsOptions = {
    jobId,
    attempts: workers.attempts,
    backoff: { type: 'exponential', delay: workers.backoffMs },
    removeOnComplete: RETENTION.removeOnComplete,
    removeOnFail: RETENTION.removeOnFail,
  };
  // (set, never deleted afterwards: the object keeps its fast shape through BullMQ's option handling)
  if (hasParent) opts[step.onFailure === 'ignore' ? 'ignoreDependencyOnFailure' : 'failParentOnFailure'] = true;
  return opts;
}
