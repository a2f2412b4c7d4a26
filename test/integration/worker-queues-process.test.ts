import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionPartition } from '../../src/runtime/partitions.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { spawnProcess, stopProcess, waitForOutput, type TestProcess } from '../support/processes.js';
import { onCluster } from '../support/test-services.js';

/**
 * The README's per-queue scaling, as written: `DATAOPS_WORKER_QUEUES=csv npm run workers:nodes` in a
 * process of its own, with 3 queue partitions (on the 3-master cluster under
 * vitest.cluster.config.ts). It serves the `csv` queue of every partition and nothing else.
 */
const PARTITIONS = 3;
let h: EngineHarness;
let worker: TestProcess;

beforeAll(async () => {
  h = await startEngineHarness({ registry: registerBuiltins(new WorkflowRegistry()), env: { DATAOPS_QUEUE_PARTITIONS: String(PARTITIONS) } });
  // (spawned in its own process group, so the npm wrapper and the node process it execs stop together)
  worker = spawnProcess(
    { command: 'npm', args: ['run', '--silent', 'workers:nodes'] },
    { ...h.t.env, DATAOPS_WORKER_QUEUES: 'csv', LOG_LEVEL: 'info', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
  );
  await waitForOutput(worker, /"msg":"nodes running"/, { timeoutMs: 90_000 });
}, 120_000);

afterAll(async () => {
  if (worker) await stopProcess(worker);
  await h?.cleanup();
});

describe(`DATAOPS_WORKER_QUEUES=csv npm run workers:nodes, ${PARTITIONS} partitions${onCluster ? ' on a 3-master cluster' : ''}`, () => {
  it('says it serves only csv', () => {
    const started = worker.out().split('\n').find((l) => l.includes('"msg":"nodes running"'))!;
    expect((JSON.parse(started) as { queues: string[] }).queues).toEqual(['csv']);
  });

  it("is a worker of every partition's csv queue and of no other queue", async () => {
    for (const p of h.rt.producer.queues.partitions) {
      expect(await p.node('csv').getWorkersCount(), `csv workers of partition ${p.index}`).toBeGreaterThan(0);
      for (const other of [p.orchestrator, p.flows, ...[...p.nodeQueues.entries()].filter(([n]) => n !== 'csv').map(([, q]) => q)]) {
        expect(await other.getWorkersCount(), `${other.name} workers of partition ${p.index}`).toBe(0);
      }
    }
    expect(await h.rt.producer.queues.maintenance.getWorkersCount()).toBe(0);
  });

  it('runs CSV profiles of sessions in every partition, and leaves a JIL parse waiting', async () => {
    const sessions: string[] = [];
    for (let i = 0; i < 200 && new Set(sessions.map((s) => sessionPartition(s, PARTITIONS))).size < PARTITIONS; i++) {
      const { sessionId } = await h.rt.sessions.create('u1');
      if (!sessions.some((s) => sessionPartition(s, PARTITIONS) === sessionPartition(sessionId, PARTITIONS))) sessions.push(sessionId);
    }
    expect(sessions).toHaveLength(PARTITIONS);
    const jil = await h.rt.producer.enqueueRun({
      sessionId: sessions[0]!,
      userId: 'u1',
      spec: { workflow: 'jil.parse', params: { jil: 'insert_job: a  job_type: c\ncommand: echo a' } },
    });
    for (const sessionId of sessions) {
      const csv = 'id,amount\n1,10\n2,20\n3,30\n';
      const { artifactId } = await h.rt.artifacts.store({ sessionId, workflowName: 'upload', content: csv, contentType: 'csv', name: 'a.csv', createdBy: 'u1' });
      const { jobId } = await h.rt.producer.enqueueRun({ sessionId, userId: 'u1', spec: { workflow: 'csv.profile', params: { source: artifactId } } });
      const status = await h.waitForJob(jobId, 60_000);
      expect(status.state, status.error ?? '').toBe('completed');
    }
    // the profiles are done; the parse, on `jil`, was never taken
    const parse = await h.rt.producer.getJob(jil.jobId);
    expect(parse.state).toBe('waiting');
  });
});
