import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionPartition } from '../../src/runtime/partitions.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { onCluster } from '../support/test-services.js';

/**
 * The README's per-queue scaling, as written: `DATAOPS_WORKER_QUEUES=csv npm run workers:nodes` in a
 * process of its own, with 3 queue partitions (on the 3-master cluster under
 * vitest.cluster.config.ts). It serves the `csv` queue of every partition and nothing else.
 */
const PARTITIONS = 3;
let h: EngineHarness;
let child: ChildProcess;
let output = '';

beforeAll(async () => {
  h = await startEngineHarness({ registry: registerBuiltins(new WorkflowRegistry()), env: { DATAOPS_QUEUE_PARTITIONS: String(PARTITIONS) } });
  // its own process group, so the npm wrapper and the node process it execs stop together
  child = spawn('npm', ['run', '--silent', 'workers:nodes'], {
    env: { ...h.t.env, DATAOPS_WORKER_QUEUES: 'csv', LOG_LEVEL: 'info', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker process did not start in 90 s:\n${output}`)), 90_000);
    const check = () => {
      if (!/"msg":"nodes running"/.test(output)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`the worker process exited ${code}:\n${output}`)));
  });
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((ok) => child.once('exit', ok));
    process.kill(-child.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 15_000))]);
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
  await h?.cleanup();
});

describe(`DATAOPS_WORKER_QUEUES=csv npm run workers:nodes, ${PARTITIONS} partitions${onCluster ? ' on a 3-master cluster' : ''}`, () => {
  it('says it serves only csv', () => {
    const started = output.split('\n').find((l) => l.includes('"msg":"nodes running"'))!;
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
