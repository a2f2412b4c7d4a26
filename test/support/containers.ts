/**
 * The Docker path of the test harness: Redis and LocalStack (DynamoDB + S3) in containers.
 * Used only when DATAOPS_TEST_CONTAINERS=1; the default path uses embedded servers.
 */
export async function startContainers(): Promise<{ redisUrl: string; awsEndpoint: string; stop(): Promise<void> }> {
  const { RedisContainer } = await import('@testcontainers/redis');
  const { LocalstackContainer } = await import('@testcontainers/localstack');
  const redis = await new RedisContainer('redis:7-alpine').withCommand(['redis-server', '--maxmemory-policy', 'noeviction']).start();
  const localstack = await new LocalstackContainer('localstack/localstack:3').withEnvironment({ SERVICES: 'dynamodb,s3' }).start();
  return {
    redisUrl: redis.getConnectionUrl(),
    awsEndpoint: localstack.getConnectionUri(),
    stop: async () => {
      await localstack.stop();
      await redis.stop();
    },
  };
}
