import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCluster, primaries } from '../../src/infra/redis.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { onCluster } from '../support/test-services.js';

/**
 * Cluster-only checks (vitest.cluster.config.ts): with 3 queue partitions the keys of one workload
 * land on every shard, each run's keys stay in its partition's slot, and with 1 partition every
 * queue key shares one slot (today's layout).
 */
describe.skipIf(!onCluster)('queue partitions on a 3-master Redis Cluster', () => {
  let h3: EngineHarness;
  let h1: EngineHarness;

  beforeAll(async () => {
    [h3, h1] = await Promise.all([startEngineHarness({ env: { DATAOPS_QUEUE_PARTITIONS: '3' } }), startEngineHarness()]);
    await Promise.all([h3.startWorkers({ queues: ['nodes', 'flows'] }), h1.startWorkers({ queues: ['nodes', 'flows'] })]);
  });
  afterAll(async () => {
    await h3?.cleanup();
    await h1?.cleanup();
  });

  /** Keys under the harness's queue prefix, counted per master (SCAN on each node). */
  async function keysPerShard(h: EngineHarness): Promise<{ node: string; keys: string[] }[]> {
    const out: { node: string; keys: string[] }[] = [];
    for (const node of primaries(h.t.services.redis)) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `{${h.t.config.redis.queuePrefix}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      out.push({ node: `${node.options.host}:${node.options.port}`, keys });
    }
    return out;
  }

  /** Runs a chain and a DAG (coordinator) for each of `sessions` fresh sessions. */
  async function workload(h: EngineHarness, sessions: number): Promise<void> {
    await Promise.all(
      Array.from({ length: sessions }, async () => {
        const { sessionId } = await h.rt.sessions.create('u1');
        const chain = await h.runSpec(sessionId, { sequence: [{ workflow: 'test.numbers', params: { start: 1 } }, { workflow: 'test.sum' }] });
        expect(chain.outputs['test_sum']).toEqual({ total: 6 });
        const dag = await h.runSpec(sessionId, {
          dag: [
            { id: 'src', workflow: 'test.numbers', params: { start: 2 } },
            { id: 'd', workflow: 'test.double', dependsOn: ['src'] },
            { id: 'all', workflow: 'test.collect', dependsOn: ['d'] },
          ],
        });
        expect(dag.outputs['all']).toEqual({ keys: ['double'] });
      }),
    );
  }

  it('the services talk to the cluster through the Cluster client', () => {
    expect(isCluster(h3.t.services.redis)).toBe(true);
    expect(primaries(h3.t.services.redis)).toHaveLength(3);
  });

  it('each partition hash tag lives on another master', async () => {
    const redis = h3.t.services.redis as Cluster;
    const prefixes = h3.rt.producer.queues.partitions.map((p) => p.prefix);
    expect(prefixes).toHaveLength(3);
    const slots = await Promise.all(prefixes.map((p) => redis.cluster('KEYSLOT', `${p}:nodes:wait`) as Promise<number>));
    const ranges = await redis.cluster('SLOTS');
    const owner = (slot: number) => ranges.find(([lo, hi]) => slot >= lo && slot <= hi)![2]![1];
    expect(new Set(slots.map(owner)).size).toBe(3);
  });

  it('with 3 partitions, the keys of a workload land on every shard, each run within one slot', async () => {
    await workload(h3, 12);
    const shards = await keysPerShard(h3);
    // runs' own keys, not only the queue meta keys every served partition has
    for (const s of shards) expect(s.keys.filter((k) => /:run-sess_/.test(k)).length, `no run keys on ${s.node}`).toBeGreaterThan(0);
    // every key of a session's runs carries its partition's tag, so one flow never crosses slots
    const redis = h3.t.services.redis as Cluster;
    const all = shards.flatMap((s) => s.keys).filter((k) => /:run-sess_/.test(k));
    const tags = new Set(all.map((k) => k.slice(0, k.indexOf('}') + 1)));
    expect(tags.size).toBe(3);
    for (const tag of tags) {
      const slots = await Promise.all(all.filter((k) => k.startsWith(tag)).slice(0, 20).map((k) => redis.cluster('KEYSLOT', k) as Promise<number>));
      expect(new Set(slots).size).toBe(1);
    }
  });

  it('with 1 partition (the default), every queue key shares the one {prefix} slot', async () => {
    await workload(h1, 3);
    const shards = await keysPerShard(h1);
    expect(shards.filter((s) => s.keys.length > 0)).toHaveLength(1);
  });
});
