import { startRedisCluster } from './redis-cluster.js';

/**
 * globalSetup of `vitest.cluster.config.ts`: one local 3-master Redis Cluster for the whole run.
 * Test files find it through DATAOPS_TEST_REDIS_CLUSTER (test-services.ts turns it into
 * REDIS_CLUSTER_NODES); it is torn down when the run ends.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const cluster = await startRedisCluster(3);
  process.env.DATAOPS_TEST_REDIS_CLUSTER = cluster.seeds;
  return () => cluster.stop();
}

