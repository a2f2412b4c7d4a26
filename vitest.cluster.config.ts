import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The suites that exercise every Redis user (BullMQ flows, session scripts, rate limits, events, the
 * API loop) once more, against a local 3-master Redis Cluster started for the run
 * (test/support/cluster-global-setup.ts), plus the cluster-only checks. `npm test` runs both configs.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/integration/engine-flows.test.ts',
      'test/integration/sessions-concurrency.test.ts',
      'test/integration/api-rate-limit.test.ts',
      'test/integration/api-events.test.ts',
      'test/integration/events-terminal.test.ts',
      'test/integration/session-order-partitions.test.ts',
      'test/integration/api-loop.test.ts',
      'test/integration/queue-families.test.ts',
      'test/integration/worker-queues-process.test.ts',
      'test/integration/redis-cluster.test.ts',
    ],
    globalSetup: ['test/support/cluster-global-setup.ts'],
  },
});
