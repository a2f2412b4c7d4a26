/** Worker process for the repeatable expiry jobs (sessions, artifacts, pending questions). Scale it with more processes. */
import { QUEUE } from '../src/runtime/queues.js';
import { runWorkerProcess } from './run-process.js';

await runWorkerProcess('maintenance', [QUEUE.maintenance]);
