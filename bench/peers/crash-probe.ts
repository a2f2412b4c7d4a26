import { spawnProcess, waitForOutput } from '../../test/support/processes.js';
import type { RunState, SystemKey } from './systems.js';

/** The lock and stalled-check interval the probe's BullMQ workers run with (BullMQ's defaults are 30 s each). */
const LOCK_MS = 2000;
const STALLED_MS = 1000;
/** How long step `a` has been running when its process is killed. */
const KILL_AFTER_MS = 1000;

/**
 * Measures, for one system, whether a run survives kill -9 of the process running it: a child
 * process starts a run and is killed (SIGKILL) a second into step `a`; a second child then sets the
 * system up as a restarted service would, re-invoking nothing, and watches the run for `waitMs`.
 * Returns the table's cell: "yes, …" with the time from the kill to the run's end, or "no: …" with
 * how the run stands at the end of the wait, in the system's own terms. `env` should be a
 * configuration of its own (queue prefix, tables): queues a bench has just used keep BullMQ's
 * stalled-check marker, set for the bench's 30 s interval, for up to that long.
 */
export async function probeResume(key: SystemKey, env: Record<string, string>, dir: string, waitMs = 15_000): Promise<string> {
  const base = {
    ...env,
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PEER_SYSTEM: key,
    PEER_DIR: dir,
    DATAOPS_LOCK_DURATION_MS: String(LOCK_MS),
    DATAOPS_STALLED_INTERVAL_MS: String(STALLED_MS),
    ...(process.env.BENCH_PG_URL ? { BENCH_PG_URL: process.env.BENCH_PG_URL } : {}),
  };
  const first = spawnProcess('bench/peers/crash-child.ts', { ...base, PEER_PHASE: 'start' });
  const run = await waitForOutput(first, /^RUN (\S+)$/m, { from: 'stdout', timeoutMs: 90_000 });
  await waitForOutput(first, /^A_STARTED$/m, { from: 'stdout', timeoutMs: 30_000 });
  // a moment for what a system writes behind the step that started (LangGraph saves checkpoints in the background)
  await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
  first.child.kill('SIGKILL');
  await first.exit;
  const killedAt = Date.now();
  const second = spawnProcess('bench/peers/crash-child.ts', { ...base, PEER_PHASE: 'resume', PEER_RUN: run![1]!, PEER_WAIT_MS: String(waitMs) });
  const result = await waitForOutput(second, /^RESULT (.+)$/m, { from: 'stdout', timeoutMs: waitMs + 90_000 });
  await second.exit;
  const state = JSON.parse(result![1]!) as RunState & { watchedMs: number; at: number };
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  if (state.finished) return `yes: finished ${seconds(state.at - killedAt)} after kill -9, in a new process that only started its workers (lock ${seconds(LOCK_MS)}, stalled check every ${seconds(STALLED_MS)})`;
  return `no: ${seconds(state.watchedMs)} after a new process started, ${state.detail}`;
}
