import { z } from 'zod';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineWorkflow } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

/** A slow CSV-like workflow on queue `csv`, a quick JIL-like one on `jil`, and one on the default queue. */
function familyRegistry(): WorkflowRegistry {
  const registry = new WorkflowRegistry();
  registry.register(
    defineWorkflow({
      name: 'fam.profile',
      description: 'A slow profile (stands in for a 10 GB CSV).',
      examples: ['profile'],
      queue: 'csv',
      input: z.object({ ms: z.number().int() }).passthrough(),
      output: z.object({ profiled: z.boolean() }),
      nodes: { profile: { run: async (s) => (await new Promise((r) => setTimeout(r, Number(s.ms))), { profiled: true }) } },
    }),
  );
  registry.register(
    defineWorkflow({
      name: 'fam.parse',
      description: 'A quick parse (stands in for JIL parsing).',
      examples: ['parse'],
      queue: 'jil',
      input: z.object({}).passthrough(),
      output: z.object({ parsed: z.boolean() }),
      nodes: { parse: { run: async () => ({ parsed: true }) } },
    }),
  );
  registry.register(
    defineWorkflow({
      name: 'fam.note',
      description: 'Runs on the default node queue.',
      examples: ['note'],
      input: z.object({}).passthrough(),
      output: z.object({ noted: z.boolean() }),
      nodes: { note: { run: async () => ({ noted: true }) } },
    }),
  );
  return registry;
}

let h: EngineHarness;
let sessionId: string;

beforeAll(async () => {
  h = await startEngineHarness({ registry: familyRegistry(), env: { DATAOPS_QUEUE_CONCURRENCY: 'csv=1,jil=4' } });
  sessionId = (await h.rt.sessions.create('u1')).sessionId;
});
afterAll(async () => h?.cleanup());

const waitOf = (job: Job) => (job.processedOn ?? Number.NaN) - job.timestamp;

describe('a queue per workflow family', () => {
  it('routes each workflow to its queue and shows it in the dry run', async () => {
    expect(h.rt.producer.queues.routing.names).toEqual(['nodes', 'csv', 'jil']);
    const view = await h.rt.producer.dryRun({ sequence: [{ workflow: 'fam.profile', params: { ms: 1 } }, { workflow: 'fam.parse' }] }, { userId: 'u1', sessionId });
    const tree = view.tree as { queueName: string; children: { queueName: string }[] };
    expect(tree.queueName).toBe('jil');
    expect(tree.children[0]!.queueName).toBe('csv');
  });

  it('a backlog of slow CSV jobs does not delay JIL jobs served by their own workers', async () => {
    const csvWorkers = await h.startWorkers({ queues: ['csv'] });
    const jilWorkers = await h.startWorkers({ queues: ['jil', 'nodes', 'flows'] });
    expect(csvWorkers.workers.map((w) => w.name)).toEqual(['csv']);
    expect(jilWorkers.workers.map((w) => w.name)).toEqual(['jil', 'nodes', 'flows']);
    const enqueue = (workflow: string, params: Record<string, unknown> = {}) =>
      h.rt.producer.enqueueRun({ sessionId, userId: 'u1', spec: { workflow, params } as never }).then((r) => r.jobId);
    const csvJobs: string[] = [];
    for (let i = 0; i < 6; i++) csvJobs.push(await enqueue('fam.profile', { ms: 400 }));
    const jilJobs: string[] = [];
    for (let i = 0; i < 6; i++) jilJobs.push(await enqueue('fam.parse'));
    for (const id of jilJobs) expect((await h.waitForJob(id)).state).toBe('completed');
    // Every JIL job is done while most of the CSV backlog still waits its turn.
    const csvQueue = h.rt.producer.queues.forSession(sessionId).node('csv');
    const csvDone = (await csvQueue.getJobCounts('completed')).completed ?? 0;
    expect(csvDone).toBeLessThan(csvJobs.length);
    for (const id of csvJobs) expect((await h.waitForJob(id, 30_000)).state).toBe('completed');
    const jilQueue = h.rt.producer.queues.forSession(sessionId).node('jil');
    const jilWaits = await Promise.all(jilJobs.map(async (id) => waitOf((await jilQueue.getJob(id))!)));
    const csvWaits = await Promise.all(csvJobs.map(async (id) => waitOf((await csvQueue.getJob(id))!)));
    // Relative, not absolute: the slowest JIL wait is shorter than the CSV jobs' typical (median) wait.
    const median = [...csvWaits].sort((a, b) => a - b)[Math.floor(csvWaits.length / 2)]!;
    expect(Math.max(...jilWaits)).toBeLessThan(median);
    await csvWorkers.close(true);
    await jilWorkers.close(true);
  });

  it('a run spanning both queues (and the default one) completes, each step on its queue', async () => {
    const w = await h.startWorkers({ queues: ['csv', 'jil', 'nodes', 'flows'] });
    const chain = await h.runSpec(sessionId, { sequence: [{ workflow: 'fam.profile', params: { ms: 10 } }, { workflow: 'fam.parse' }, { workflow: 'fam.note' }] });
    expect(chain.outputs['fam_note']).toEqual({ noted: true });
    const dag = await h.runSpec(sessionId, {
      dag: [
        { id: 'p', workflow: 'fam.profile', params: { ms: 10 } },
        { id: 'j', workflow: 'fam.parse', dependsOn: ['p'] },
        { id: 'n', workflow: 'fam.note', dependsOn: ['p'] },
      ],
    });
    expect(dag.outputs['j']).toEqual({ parsed: true });
    expect(dag.outputs['n']).toEqual({ noted: true });
    const set = h.rt.producer.queues.forSession(sessionId);
    for (const name of ['csv', 'jil', 'nodes']) expect((await set.node(name).getJobCounts('completed')).completed).toBeGreaterThan(0);
    await w.close(true);
  });

  it('refuses to serve a queue nobody defined', async () => {
    await expect(h.startWorkers({ queues: ['gpu'] })).rejects.toThrow(/unknown queue gpu/);
  });
});
