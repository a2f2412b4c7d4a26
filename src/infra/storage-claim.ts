import { ConfigError } from '../errors/config-error.js';
import type { Logger } from '../logger.js';
import type { RedisClient } from './redis.js';

/**
 * Records which storage (DynamoDB, S3, tables, bucket) the instance under this queue prefix uses,
 * the first time any of its processes starts (`SET NX`, so two racing first starts agree). A
 * process whose storage differs would take the other instance's jobs and fail them with "artifact
 * not found": it refuses to start with a ConfigError naming DATAOPS_QUEUE_PREFIX instead.
 */
export async function claimStorage(redis: RedisClient, queuePrefix: string, identity: Record<string, string>, log?: Logger): Promise<void> {
  const key = storageClaimKey(queuePrefix);
  const mine = JSON.stringify(identity);
  if ((await redis.set(key, mine, 'NX')) === 'OK') {
    log?.info({ key, storage: identity }, 'recorded the storage of this queue prefix');
    return;
  }
  const recorded = await redis.get(key);
  if (recorded === null || recorded === mine) return;
  let theirs: Record<string, string> = {};
  try {
    theirs = JSON.parse(recorded) as Record<string, string>;
  } catch {
    // an unreadable record differs like any other
  }
  const differs = [...new Set([...Object.keys(identity), ...Object.keys(theirs)])]
    .filter((k) => identity[k] !== theirs[k])
    .map((k) => `${k} recorded ${theirs[k] ?? '(none)'}, this process ${identity[k] ?? '(none)'}`);
  throw new ConfigError(
    `Another instance uses this Redis with DATAOPS_QUEUE_PREFIX=${queuePrefix} and different storage (${differs.join('; ')}). ` +
      'Two instances sharing a prefix take each other\'s jobs: give this one its own DATAOPS_QUEUE_PREFIX, ' +
      `or, if the other instance is gone for good, delete the Redis key ${key}.`,
    { details: { key, recorded: theirs, mine: identity } },
  );
}

/** The key that records a queue prefix's storage (in the prefix's own hash tag). */
export function storageClaimKey(queuePrefix: string): string {
  return `{${queuePrefix}}:instance:storage`;
}
