/**
 * A worker process for crash tests: the test workflows on every queue, configured from the
 * environment the test hands it. It prints "ready" once its workers listen.
 */
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startWorkers } from '../../src/runtime/workers.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { testRegistry } from './test-workflows.js';

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
const { registry } = testRegistry(config.redis, `${config.redis.queuePrefix}:`);
const rt = await createRuntime(config, log, { registry });
await startWorkers(rt, { schedule: false });
process.stdout.write('ready\n');
