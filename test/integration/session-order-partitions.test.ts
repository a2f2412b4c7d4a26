import type { Cluster } from 'ioredis';
import keySlot from 'cluster-key-slot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import { isCluster, primaries } from '../../src/infra/redis.js';
import { sessionPartition } from '../../src/runtime/partitions.js';
import { sessionTurnKeys } from '../../src/sessions/session-keys.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { SlowRecordingLlm } from '../support/slow-recording-llm.js';
import { onCluster } from '../support/test-services.js';

/**
 * The per-session ordering gate with DATAOPS_QUEUE_PARTITIONS=3 (on one Redis, and under
 * vitest.cluster.config.ts on the 3-master cluster): every session's messages are handled one at a
 * time in order whichever partition it lands in, and its turn keys sit in its partition's slot,
 * beside the orchestrator queue its jobs are on.
 */
const PARTITIONS = 3;
// Routing slow enough that a message holds its turn past the gate's grace for a lost job (one lock
// duration, 2 s here) while later messages of its session wait and look at who holds it.
const llm = new SlowRecordingLlm(300, 300);
let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness({ llm, env: { DATAOPS_QUEUE_PARTITIONS: String(PARTITIONS), DATAOPS_ORCHESTRATOR_CONCURRENCY: '6' } });
  // Two orchestrator processes' worth of workers (each serves every partition), plus nodes.
  await h.startWorkers({ queues: ['orchestrator'] });
  await h.startWorkers({ queues: ['orchestrator'] });
  await h.startWorkers({ queues: ['nodes', 'flows'] });
});
afterAll(async () => h?.cleanup());

/** Fresh sessions until there are `perPartition` in each partition. */
async function sessionsInEveryPartition(perPartition: number): Promise<string[][]> {
  const by: string[][] = Array.from({ length: PARTITIONS }, () => []);
  for (let i = 0; i < 500 && by.some((b) => b.length < perPartition); i++) {
    const { sessionId } = await h.rt.sessions.create('u1');
    const b = by[sessionPartition(sessionId, PARTITIONS)]!;
    if (b.length < perPartition) b.push(sessionId);
  }
  expect(by.map((b) => b.length)).toEqual(Array(PARTITIONS).fill(perPartition));
  return by;
}

async function burst(sessionId: string, messages: string[]): Promise<{ jobIds: string[]; results: OrchestratorResult[] }> {
  const { jobIds, statuses } = await h.sendAll(sessionId, messages, 120_000);
  for (const status of statuses) expect(status.state, status.error ?? '').toBe('completed');
  return { jobIds, results: statuses.map((s) => s.result as OrchestratorResult) };
}

/** The slot a key hashes to, asked of the cluster when there is one. */
async function slotOf(key: string): Promise<number> {
  const redis = h.t.services.redis;
  return isCluster(redis) ? Number(await redis.cluster('KEYSLOT', key)) : keySlot(key);
}

describe(`session order with ${PARTITIONS} queue partitions${onCluster ? ' on a 3-master cluster' : ''}`, () => {
  it("each session's messages are handled one at a time, in order, in every partition; its keys are in its partition's slot", async () => {
    const sessions = (await sessionsInEveryPartition(2)).flat();
    const scripts = new Map(
      sessions.map((s, i) => [
        s,
        [
          ...Array.from({ length: 2 }, (_, k) => `what is the weather on mars, session ${i} take ${k}`),
          'please write a report',
          'title: "Quarterly sales", format markdown',
          ...Array.from({ length: 4 }, (_, k) => `what is the weather on venus, session ${i} take ${k}`),
        ],
      ]),
    );
    const started = Date.now();
    const outcomes = await Promise.all(sessions.map((s) => burst(s, scripts.get(s)!)));
    console.log(`session order, ${PARTITIONS} partitions: ${sessions.length} sessions × 8 messages, 2 orchestrator workers: ${Date.now() - started} ms`);

    for (const [i, s] of sessions.entries()) {
      const partition = h.rt.producer.queues.forSession(s);
      // a message whose job was tried again (a stall under load, a transient error) is routed again
      // right after itself: still one at a time and in order
      const routed = (llm.order.get(s) ?? []).filter((m, k, all) => k === 0 || all[k - 1] !== m);
      expect(routed, `order of session ${i} (partition ${partition.index})`).toEqual(scripts.get(s));
      expect(llm.maxOverlap.get(s), `overlap in session ${i} (partition ${partition.index})`).toBe(1);
      // the question and its answer stay paired: the report is asked for, then made
      const { jobIds, results } = outcomes[i]!;
      expect(results[2]!.outcome).toBe('asked');
      expect(results[3]!.outcome).toBe('succeeded');
      // the jobs are on the session's partition's orchestrator queue
      for (const id of jobIds) expect(await partition.orchestrator.getJob(id), id).toBeTruthy();

      // the turn keys exist, and share the slot of that queue's keys
      const keys = Object.values(sessionTurnKeys(h.t.services, s));
      const queueSlot = await slotOf(`${partition.prefix}:orchestrator:wait`);
      const written = [];
      for (const k of keys) if (await h.t.services.redis.exists(k)) written.push(k);
      expect(written.length, `turn keys written for session ${i}`).toBeGreaterThan(0);
      for (const k of keys) expect(await slotOf(k), k).toBe(queueSlot);
    }

    if (onCluster) {
      // the partitions' slots are on three different masters, and each session's turn keys are on
      // the master that holds its orchestrator queue
      const redis = h.t.services.redis as Cluster;
      const ranges = await redis.cluster('SLOTS');
      const owner = (slot: number) => `${ranges.find(([lo, hi]) => slot >= lo && slot <= hi)![2]![1]}`;
      const owners = new Set<string>();
      for (const s of sessions) {
        const partition = h.rt.producer.queues.forSession(s);
        const o = owner(await slotOf(`${partition.prefix}:orchestrator:wait`));
        owners.add(o);
        expect(owner(await slotOf(sessionTurnKeys(h.t.services, s).turnsSeq))).toBe(o);
      }
      expect(owners.size).toBe(primaries(redis).length);
    }

    // deleting a session removes its turn keys too (they are not under its `{id}` tag)
    const gone = sessions[sessions.length - 1]!;
    await h.rt.sessions.delete(gone);
    for (const k of Object.values(sessionTurnKeys(h.t.services, gone))) expect(await h.t.services.redis.exists(k), k).toBe(0);
  }, 300_000);

  it('a failed run is traced to the step that failed, in every partition', async () => {
    const sessions = (await sessionsInEveryPartition(1)).flat();
    const outcomes = await Promise.all(sessions.map((s) => burst(s, ['make numbers with start = 5, then fail please'])));
    for (const [i, { results }] of outcomes.entries()) {
      const partition = h.rt.producer.queues.forSession(sessions[i]!).index;
      expect(results[0]!.outcome).toBe('failed');
      expect(results[0]!.reply, `reply in partition ${partition}`).toMatch(/^The step \*\*test\.fail\*\* .* failed: boom: this node always fails\./);
    }
  }, 120_000);
});
