import { sessionPartition } from '../runtime/partitions.js';

/**
 * Redis keys kept beside a session by other components, all under the session's `{id}` hash tag
 * (one Redis Cluster slot). Named here so that deleting a session removes every one of them (with
 * {@link sessionTurnKeys}, which live in the session's queue partition instead).
 */
export function sessionSideKeys(keyPrefix: string, sessionId: string) {
  const base = `${keyPrefix}sess:{${sessionId}}`;
  return {
    /** The compressed session context of prompts (see context/prompt-context.ts). */
    promptContext: `${base}:ctxz`,
  };
}

/** What locates a session's turn keys: the key prefix (`dataops:`) and the BullMQ prefix of each queue partition. */
export interface TurnKeyspace {
  keyPrefix: string;
  /** `Services.partitionPrefixes`: `['{dataops}']` with one partition. */
  partitionPrefixes: readonly string[];
}

/**
 * The keys of a session's orchestrator turns (runtime/session-turns.ts), under the hash tag of the
 * session's queue partition — the tag its orchestrator jobs carry — so the turns and the queue the
 * ordering gate reads and wakes share one Redis Cluster slot:
 * `dataops:{dataops-p<i>-<k>}:sess:<id>:turns` (`dataops:{dataops}:sess:<id>:turns` with one partition).
 */
export function sessionTurnKeys(space: TurnKeyspace, sessionId: string) {
  const tag = space.partitionPrefixes[sessionPartition(sessionId, space.partitionPrefixes.length)]!;
  const base = `${space.keyPrefix}${tag}:sess:${sessionId}`;
  return {
    /** Pending jobs by ticket. */
    turns: `${base}:turns`,
    /** When each ticket was taken. */
    turnsAt: `${base}:turns-at`,
    /** Tickets issued. */
    turnsSeq: `${base}:turns-seq`,
    /** Results of jobs that finished their turn, so a stalled duplicate returns them instead of running again. */
    turnsDone: `${base}:turns-done`,
  };
}
