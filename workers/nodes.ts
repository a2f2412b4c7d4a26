/**
 * Worker process for workflow nodes and the coordinators of non-tree runs. Scale it with more processes.
 * Which queues it serves: the arguments (`node --import tsx workers/nodes.ts csv` or `… jil,nodes`),
 * else DATAOPS_WORKER_QUEUES, else every node queue plus `flows`. Run one line per queue family to
 * scale CSV profiling apart from JIL parsing.
 */
import { QUEUE } from '../src/runtime/queues.js';
import { runWorkerProcess } from './run-process.js';

const fromArgs = process.argv
  .slice(2)
  .flatMap((a) => a.split(','))
  .map((q) => q.trim())
  .filter(Boolean);

await runWorkerProcess(fromArgs.length ? `nodes:${fromArgs.join(',')}` : 'nodes', (rt) => {
  const chosen = fromArgs.length ? fromArgs : rt.config.queues.workerQueues;
  return chosen.length ? chosen : [...rt.producer.queues.routing.names, QUEUE.flows];
});
