/**
 * A worker process exactly as `workers/nodes.ts` runs (runWorkerProcess: signals, shutdown bound),
 * with the test workflows. For shutdown tests.
 */
import { loadConfig } from '../../src/config.js';
import { QUEUE } from '../../src/runtime/queues.js';
import { runWorkerProcess } from '../../workers/run-process.js';
import { testRegistry } from './test-workflows.js';

const config = loadConfig(process.env);
const { registry } = testRegistry(config.redis, `${config.redis.queuePrefix}:`);
await runWorkerProcess('test-nodes', [QUEUE.nodes, QUEUE.flows], { runtime: { registry } });
