import { createHash } from 'node:crypto';
import type { RedisClient } from '../infra/redis.js';

/**
 * Lua scripts of the Redis mirror. Every write is a *merge* that commutes, so two workers whose
 * writes reach Redis in either order leave the same state:
 *
 * Session hash `…sess:{id}` — fields `doc` (Session JSON), `version`, `messageCount`, `lastActive`:
 *   `doc`+`version` are replaced only by a higher version; `messageCount` and `lastActive` only grow
 *   (max; ISO-8601 UTC strings compare correctly). A hash without `doc` is a partial entry
 *   (counters only) and reads as a cache miss.
 *
 * Tail sorted set `…sess:{id}:msgs` — member = Message JSON, score = seq, at most one member per
 * seq, trimmed to the newest `max`. The member `#floor` with score `-F` says: every stored message
 * with seq ≥ F is in the set (or will be, once its writer's script runs). Only a read that warmed
 * the set from DynamoDB sets `#floor`; trimming (to `max` messages and `maxBytes` of message JSON)
 * raises it to the lowest seq kept, so readers fall back to DynamoDB for what was trimmed.
 */

const TRIM = `
local function raiseFloor(key, floor, lowestGone)
  if not floor then return end
  local first = redis.call('ZRANGE', key, 1, 1, 'WITHSCORES')
  local low = tonumber(first[2]) or (lowestGone + 1)
  if low > -tonumber(floor) then redis.call('ZADD', key, -low, '#floor') end
end
local function trim(key, max, maxBytes)
  local floor = redis.call('ZSCORE', key, '#floor')
  local n = redis.call('ZCARD', key)
  local lo = 0
  if floor then n = n - 1; lo = 1 end
  if n > max then
    local gone = redis.call('ZRANGE', key, lo + n - max - 1, lo + n - max - 1, 'WITHSCORES')
    redis.call('ZREMRANGEBYRANK', key, lo, lo + n - max - 1)
    raiseFloor(key, floor, tonumber(gone[2]))
  end
  -- the byte cap: drop the oldest messages until the tail fits (a bigger message is not kept at all)
  local members = redis.call('ZRANGE', key, lo, -1, 'WITHSCORES')
  local total = 0
  for i = 1, #members, 2 do total = total + #members[i] end
  local drop, lastGone = 0, nil
  while total > maxBytes and drop * 2 < #members do
    drop = drop + 1
    total = total - #members[drop * 2 - 1]
    lastGone = tonumber(members[drop * 2])
  end
  if drop > 0 then
    redis.call('ZREMRANGEBYRANK', key, lo, lo + drop - 1)
    raiseFloor(key, floor, lastGone)
  end
end
`;

const MERGE_COUNTERS = `
local function mergeCounters(key, messageCount, lastActive)
  local mc = redis.call('HGET', key, 'messageCount')
  if (not mc) or messageCount > tonumber(mc) then redis.call('HSET', key, 'messageCount', messageCount) end
  local la = redis.call('HGET', key, 'lastActive')
  if (not la) or lastActive > la then redis.call('HSET', key, 'lastActive', lastActive) end
end
`;

/** KEYS: hash. ARGV: doc, version, messageCount, lastActive, ttlMs. */
export const PUT_SESSION = `${MERGE_COUNTERS}
local v = redis.call('HGET', KEYS[1], 'version')
if (not v) or tonumber(ARGV[2]) > tonumber(v) then
  redis.call('HSET', KEYS[1], 'doc', ARGV[1], 'version', ARGV[2])
end
mergeCounters(KEYS[1], tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;

/** KEYS: hash, tail. ARGV: seq, messageJson, max, ttlMs, lastActive, maxBytes. */
export const ADD_MESSAGE = `${TRIM}${MERGE_COUNTERS}
local seq = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], seq, seq)
redis.call('ZADD', KEYS[2], seq, ARGV[2])
trim(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[6]))
redis.call('PEXPIRE', KEYS[2], ARGV[4])
mergeCounters(KEYS[1], seq, ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

/** KEYS: tail. ARGV: max, ttlMs, floor, maxBytes, then seq, messageJson pairs. */
export const WARM_TAIL = `${TRIM}
for i = 5, #ARGV, 2 do
  local seq = tonumber(ARGV[i])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], seq, seq)
  redis.call('ZADD', KEYS[1], seq, ARGV[i + 1])
end
local f = tonumber(ARGV[3])
local cur = redis.call('ZSCORE', KEYS[1], '#floor')
if (not cur) or f < -tonumber(cur) then redis.call('ZADD', KEYS[1], -f, '#floor') end
trim(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * KEYS: hash, tail. ARGV: version, ttlMs. Drops both entries and leaves a tombstone (`version`
 * only) so a read that fetched an older version before this call cannot re-cache it afterwards.
 */
export const TOMBSTONE = `
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'version', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

const shas = new Map<string, string>();

/** EVALSHA with a fallback to EVAL when the server does not know the script yet. */
export async function runScript(redis: RedisClient, script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}
