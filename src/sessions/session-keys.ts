/**
 * Redis keys kept beside a session by other components, all under the session's `{id}` hash tag
 * (one Redis Cluster slot). Named here so that deleting a session removes every one of them.
 */
export function sessionSideKeys(keyPrefix: string, sessionId: string) {
  const base = `${keyPrefix}sess:{${sessionId}}`;
  return {
    /** The compressed session context of prompts (see context/prompt-context.ts). */
    promptContext: `${base}:ctxz`,
    /** Orchestrator turns: pending jobs by ticket, when each ticket was taken, tickets issued (runtime/session-turns.ts). */
    turns: `${base}:turns`,
    turnsAt: `${base}:turns-at`,
    turnsSeq: `${base}:turns-seq`,
    /** Results of jobs that finished their turn, so a stalled duplicate returns them instead of running again. */
    turnsDone: `${base}:turns-done`,
  };
}
