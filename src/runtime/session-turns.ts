import type { RedisClient } from '../infra/redis.js';
import { runScript } from '../sessions/cache-scripts.js';
import { sessionTurnKeys as sessionTurnKeyNames, type TurnKeyspace } from '../sessions/session-keys.js';

/**
 * Per-session turns of orchestrator jobs, in Redis. Each message's job takes a ticket when it is
 * enqueued (an increasing number per session); the job whose ticket is the lowest of the session's
 * unfinished ones holds the turn. All keys carry the hash tag of the session's queue partition (the
 * tag of the orchestrator queue its jobs are on), so each script touches one Redis Cluster slot, the
 * slot of the queue the ordering gate reads and wakes (see sessions/session-keys.ts):
 *
 * - `…{tag}:sess:<id>:turns`     sorted set: member = job id, score = ticket (the unfinished jobs)
 * - `…{tag}:sess:<id>:turns-at`  hash: job id → when its ticket was taken (ms), to recognise a ticket
 *                                whose job was never added (the producer died in between)
 * - `…{tag}:sess:<id>:turns-seq` counter of tickets issued
 * - `…{tag}:sess:<id>:turns-done` hash: job id → result JSON of a job that finished its turn (a run
 *                                of the same job after a stall returns it instead of handling the
 *                                message again)
 */
export function sessionTurnKeys(space: TurnKeyspace, sessionId: string): [string, string, string, string] {
  const k = sessionTurnKeyNames(space, sessionId);
  return [k.turns, k.turnsAt, k.turnsSeq, k.turnsDone];
}

/** How long the result of a finished turn is kept for a stalled duplicate of its job, in ms. */
const DONE_TTL_MS = 3600_000;

/** KEYS: turns, at, seq. ARGV: jobId, nowMs, ttlMs. Idempotent per job id. */
const REGISTER = `
local have = redis.call('ZSCORE', KEYS[1], ARGV[1])
if have then return tonumber(have) end
local n = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], n, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return n
`;

/** KEYS: turns, at. Returns { headJobId, takenAtMs } or false. */
const HEAD = `
local h = redis.call('ZRANGE', KEYS[1], 0, 0)
if #h == 0 then return false end
return { h[1], redis.call('HGET', KEYS[2], h[1]) or '0' }
`;

/**
 * KEYS: turns, at, done. ARGV: jobId, expectedHead ('' = any), resultJson ('' = none), ttlMs.
 * Removes the job's ticket (recording its result); returns the next head or false.
 */
const RELEASE = `
if ARGV[2] ~= '' then
  local h = redis.call('ZRANGE', KEYS[1], 0, 0)
  if #h == 0 or h[1] ~= ARGV[2] then return false end
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
end
local n = redis.call('ZRANGE', KEYS[1], 0, 0)
if #n == 0 then return false end
return n[1]
`;

/** The turn's holder: its job id and when it took its ticket. */
export interface TurnHead {
  jobId: string;
  takenAtMs: number;
}

/** Tickets and turns of one Redis; stateless, so any number of processes may share the keys. */
export class SessionTurns {
  constructor(
    private readonly redis: RedisClient,
    /** The key prefix and the queue partitions (`Services` has both). */
    private readonly space: TurnKeyspace,
    /** How long idle turn keys live, in ms (the session TTL). */
    private readonly ttlMs: number,
  ) {}

  /** Takes the job's ticket (the same one again for the same job id). */
  async register(sessionId: string, jobId: string, nowMs = Date.now()): Promise<number> {
    const [turns, at, seq] = sessionTurnKeys(this.space, sessionId);
    return Number(await runScript(this.redis, REGISTER, [turns, at, seq], [jobId, nowMs, this.ttlMs]));
  }

  /** Who holds the session's turn, or null when no job is pending. */
  async head(sessionId: string): Promise<TurnHead | null> {
    const [turns, at] = sessionTurnKeys(this.space, sessionId);
    const r = (await runScript(this.redis, HEAD, [turns, at], [])) as [string, string] | null;
    return r ? { jobId: r[0], takenAtMs: Number(r[1]) } : null;
  }

  /**
   * Gives up the job's ticket (finished, or failed for good), recording its result when it has one
   * (kept for an hour). Returns the new holder's job id.
   */
  async release(sessionId: string, jobId: string, result?: unknown): Promise<string | null> {
    const [turns, at, , done] = sessionTurnKeys(this.space, sessionId);
    const json = result === undefined ? '' : JSON.stringify(result);
    return ((await runScript(this.redis, RELEASE, [turns, at, done], [jobId, '', json, DONE_TTL_MS])) as string | null) ?? null;
  }

  /** The recorded result of a job that already finished its turn, or undefined. */
  async finished(sessionId: string, jobId: string): Promise<unknown> {
    const raw = await this.redis.hget(sessionTurnKeys(this.space, sessionId)[3], jobId);
    return raw === null ? undefined : (JSON.parse(raw) as unknown);
  }

  /**
   * Drops a dead holder's ticket, only if it still holds the turn (a compare-and-remove, so two
   * waiters that both saw it dead remove it once and never remove its successor).
   */
  async skip(sessionId: string, deadJobId: string): Promise<void> {
    const [turns, at, , done] = sessionTurnKeys(this.space, sessionId);
    await runScript(this.redis, RELEASE, [turns, at, done], [deadJobId, deadJobId, '', DONE_TTL_MS]);
  }
}
