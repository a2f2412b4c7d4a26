/** Worker process for user messages: route, ask for missing parameters, start runs, reply. Scale it with more processes. */
import { QUEUE } from '../src/runtime/queues.js';
import { runWorkerProcess } from './run-process.js';

await runWorkerProcess('orchestrator', [QUEUE.orchestrator]);
