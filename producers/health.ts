import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { Services } from '../src/infra/services.js';

export type CheckResult = 'ok' | 'failed';

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Readiness: Redis answers PING, the sessions table answers DescribeTable, the bucket answers
 * HeadBucket — each within `timeoutMs` (default 2000). Reports which failed, never why (no internals).
 */
export async function readiness(services: Services, timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
  const run = async (f: () => Promise<unknown>): Promise<CheckResult> => {
    try {
      await withTimeout(f(), timeoutMs);
      return 'ok';
    } catch {
      return 'failed';
    }
  };
  const [redis, dynamodb, s3] = await Promise.all([
    run(() => services.redis.ping()),
    run(() => services.dynamo.send(new DescribeTableCommand({ TableName: services.tables.sessions }))),
    run(() => services.s3.send(new HeadBucketCommand({ Bucket: services.bucket }))),
  ]);
  const checks = { redis, dynamodb, s3 };
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
}
