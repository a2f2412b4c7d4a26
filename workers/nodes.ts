/** Worker process for workflow nodes and the coordinators of non-tree runs. Scale it with more processes. */
import { QUEUE } from '../src/runtime/queues.js';
import { runWorkerProcess } from './run-process.js';

await runWorkerProcess('nodes', [QUEUE.nodes, QUEUE.flows]);
