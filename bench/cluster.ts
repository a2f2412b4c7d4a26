import { z } from 'zod';
import type { Redis } from 'ioredis';
import { primaries } from '../src/infra/redis.js';
import { createLogger } from '../src/logger.js';
import { startWorkers } from '../src/runtime/workers.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import type { StepSpec } from '../src/planning/run-spec.js';
import { defineWorkflow } from '../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../src/workflows/registry.js';
import { startRedisCluster } from '../test/support/redis-cluster.js';
import { startTestServices } from '../test/support/test-services.js';

export interface ShardFigures {
  node: string;
  /** Commands the shard served during the round (`INFO commandstats`, summed). */
  calls: number;
  /** The busiest commands of the shard. */
  top: { command: string; calls: number }[];
}

export interface ClusterRound {
  partitions: number;
  flows: number;
  seconds: number;
  flowsPerSec: number;
  shards: ShardFigures[];
}

/** `INFO commandstats` → { command: calls }. */
async function commandStats(node: Redis): Promise<Record<string, number>> {
  const info = await node.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/**
 * Flows/s of the engine on a local 3-master Redis Cluster with 1 and with 3 queue partitions, and
 * how many commands each shard served (`CONFIG RESETSTAT` before each round, `INFO commandstats`
 * after). Each flow is 4 no-op steps (3 parallel branches and the step after them), spread over
 * `sessions` sessions; `flows` are enqueued at once and the round ends when every run completed.
 * Same machine for every shard, so the point is the spread, not the speed.
 */
export async function benchCluster(options: { flows?: number; sessions?: number } = {}): Promise<ClusterRound[]> {
  const flows = options.flows ?? 1000;
  const sessions = options.sessions ?? 48;
  const registry = new WorkflowRegistry().register(
    defineWorkflow({
      name: 'bench.noop',
      description: 'Does nothing.',
      examples: ['noop'],
      input: z.object({}).passthrough(),
      output: z.object({}).passthrough(),
      nodes: { run: { run: async () => ({}) } },
    }),
  );
  const spec: StepSpec = { sequence: [{ parallel: [{ workflow: 'bench.noop' }, { workflow: 'bench.noop' }, { workflow: 'bench.noop' }] }, { workflow: 'bench.noop' }] } as StepSpec;
  const cluster = await startRedisCluster(3);
  const rounds: ClusterRound[] = [];
  try {
    for (const partitions of [1, 3]) {
      const t = await startTestServices({ REDIS_CLUSTER_NODES: cluster.seeds, DATAOPS_QUEUE_PARTITIONS: String(partitions), DATAOPS_JOB_ATTEMPTS: '1' });
      const rt = await createRuntime(t.config, createLogger('silent'), { registry, services: t.services });
      const workers = await startWorkers(rt, { queues: ['nodes', 'flows'], schedule: false });
      try {
        const ids = await Promise.all(Array.from({ length: sessions }, () => rt.sessions.create('bench').then((s) => s.sessionId)));
        const nodes = primaries(t.services.redis);
        await Promise.all(nodes.map((n) => n.config('RESETSTAT')));
        const started = performance.now();
        const jobs: { jobId: string; sessionId: string }[] = [];
        for (let i = 0; i < flows; i += 50) {
          const batch = Array.from({ length: Math.min(50, flows - i) }, (_, k) => ids[(i + k) % ids.length]!);
          jobs.push(...(await Promise.all(batch.map((sessionId) => rt.producer.enqueueRun({ sessionId, userId: 'bench', spec }).then((r) => ({ jobId: r.jobId, sessionId }))))));
        }
        const roots = rt.producer.queues.partitions.map((p) => p.node('nodes'));
        for (;;) {
          const counts = await Promise.all(roots.map((q) => q.getJobCounts('completed', 'failed')));
          const finished = counts.reduce((n, c) => n + (c.completed ?? 0) + (c.failed ?? 0), 0);
          // every flow completes 4 node jobs on the nodes queue
          if (finished >= flows * 4) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const seconds = (performance.now() - started) / 1000;
        const shards = await Promise.all(
          nodes.map(async (n): Promise<ShardFigures> => {
            const stats = await commandStats(n);
            const top = Object.entries(stats)
              .filter(([c]) => c !== 'info' && c !== 'config|resetstat')
              .sort((a, b) => b[1] - a[1])
              .slice(0, 3)
              .map(([command, calls]) => ({ command, calls }));
            return { node: `${n.options.host}:${n.options.port}`, calls: Object.values(stats).reduce((a, b) => a + b, 0), top };
          }),
        );
        rounds.push({ partitions, flows, seconds, flowsPerSec: flows / seconds, shards });
      } finally {
        await workers.close(true);
        await rt.close();
        await t.cleanup();
      }
    }
  } finally {
    await cluster.stop();
  }
  return rounds;
}
