/**
 * `npm run bench:peers`: one workflow shape — start → a ∥ b ∥ c → join, no-op steps — on this
 * engine, raw BullMQ, LangGraph.js (Postgres checkpointer) and Mastra (LibSQL store), 50 runs in
 * flight, N runs per system split into interleaved rounds (so load from elsewhere hits every
 * system alike). Prints one table: runs/s, p50, p99, ratio to raw BullMQ, and whether the system
 * resumes a run by itself after its process is killed (kill -9).
 *
 * Needs Redis (REDIS_URL or 127.0.0.1:6379) and PostgreSQL (BENCH_PG_URL, default
 * postgresql://postgres@127.0.0.1:5432/test). N: BENCH_PEERS_N (default 2000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowProducer, Queue, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import { createLogger } from '../../src/logger.js';
import { startWorkers } from '../../src/runtime/workers.js';
import { RETENTION } from '../../src/runtime/queues.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { defineWorkflow } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { startTestServices } from '../../test/support/test-services.js';
import { fmt, lanes, type Figures } from '../stats.js';

const N = Number(process.env.BENCH_PEERS_N ?? 2000);
const IN_FLIGHT = 50;
const ROUNDS = 4;
const PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

interface System {
  name: string;
  /** Does a run survive kill -9 of the process running it, and finish by itself? */
  resumes: string;
  run(): Promise<void>;
  close(): Promise<void>;
}

async function engineSystem(t: Awaited<ReturnType<typeof startTestServices>>): Promise<System> {
  const registry = new WorkflowRegistry();
  for (const name of ['peer.start', 'peer.a', 'peer.b', 'peer.c', 'peer.join']) {
    registry.register(
      defineWorkflow({ name, description: 'no-op', examples: [], input: z.object({}).passthrough(), output: z.object({}).passthrough(), nodes: { run: { run: async () => ({ [name]: true }) } } }),
    );
  }
  const rt = await createRuntime(t.config, createLogger('silent'), { registry, services: t.services });
  const workers = await startWorkers(rt, { queues: ['nodes', 'flows'], schedule: false });
  const session = await rt.sessions.create('bench');
  const spec = { sequence: [{ workflow: 'peer.start' }, { parallel: [{ workflow: 'peer.a' }, { workflow: 'peer.b' }, { workflow: 'peer.c' }] }, { workflow: 'peer.join' }] };
  const waiting = new Map<string, () => void>();
  // Runs that finished before their caller learnt their job id (enqueueRun had not returned yet):
  // the workers are in this process, so their events are the cheapest exact check (as raw BullMQ's
  // caller, which picks its ids, needs none).
  const early = new Set<string>();
  for (const w of workers.workers) {
    w.on('completed', (job) => {
      const d = job.data as { root?: boolean; runId?: string; plan?: unknown };
      if (!d.root && !d.plan) return;
      const done = waiting.get(job.id!);
      if (done) done();
      else early.add(job.id!);
    });
  }
  return {
    name: 'this engine',
    resumes: 'yes (BullMQ stalled-job retry; tested in engine-crash)',
    run: async () => {
      let done!: () => void;
      const finished = new Promise<void>((ok) => (done = ok));
      const { jobId } = await rt.producer.enqueueRun({ sessionId: session.sessionId, userId: 'bench', spec });
      waiting.set(jobId, done);
      if (early.delete(jobId)) done();
      await finished;
      waiting.delete(jobId);
    },
    close: async () => {
      await workers.close(true);
      await rt.close();
    },
  };
}

async function rawSystem(t: Awaited<ReturnType<typeof startTestServices>>): Promise<System> {
  const connection = t.services.bullConnection;
  const prefix = `{${t.config.redis.queuePrefix}peer}`;
  const flows = new FlowProducer({ connection, prefix });
  const startQ = new Queue('start', { connection, prefix });
  const waiting = new Map<string, () => void>();
  // start runs first; then a ∥ b ∥ c as the children of join
  const startWorker = new Worker(
    'start',
    async (job: Job) => {
      const opts = { ...RETENTION, attempts: 1 };
      await flows.add({
        name: 'join',
        queueName: 'steps',
        data: { run: job.id },
        opts: { ...opts, jobId: `${job.id}.join` },
        children: ['a', 'b', 'c'].map((n) => ({ name: n, queueName: 'steps', data: {}, opts: { ...opts, failParentOnFailure: true } })),
      });
      return {};
    },
    { connection, prefix, concurrency: 16 },
  );
  const stepWorker = new Worker(
    'steps',
    async (job: Job) => {
      if (job.name === 'join') await job.getChildrenValues();
      return {};
    },
    { connection, prefix, concurrency: 16 },
  );
  stepWorker.on('completed', (job) => {
    if (job.name === 'join') waiting.get((job.data as { run: string }).run)?.();
  });
  await Promise.all([startWorker.waitUntilReady(), stepWorker.waitUntilReady()]);
  let seq = 0;
  return {
    name: 'raw BullMQ',
    resumes: 'yes (stalled-job retry)',
    run: async () => {
      const id = `r${seq++}`;
      const finished = new Promise<void>((ok) => waiting.set(id, ok));
      await startQ.add('start', {}, { ...RETENTION, attempts: 1, jobId: id });
      await finished;
      waiting.delete(id);
    },
    close: async () => {
      await startWorker.close();
      await stepWorker.close();
      await startQ.close();
      await flows.close();
    },
  };
}

async function langGraphSystem(): Promise<System> {
  const { StateGraph, Annotation, START, END } = await import('@langchain/langgraph');
  const { PostgresSaver } = await import('@langchain/langgraph-checkpoint-postgres');
  const checkpointer = PostgresSaver.fromConnString(PG_URL, { schema: 'dataops_peer_bench' });
  await checkpointer.setup();
  const State = Annotation.Root({ done: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
  const step = (name: string) => async () => ({ done: [name] });
  const graph = new StateGraph(State)
    .addNode('start', step('start'))
    .addNode('a', step('a'))
    .addNode('b', step('b'))
    .addNode('c', step('c'))
    .addNode('join', step('join'))
    .addEdge(START, 'start')
    .addEdge('start', 'a')
    .addEdge('start', 'b')
    .addEdge('start', 'c')
    .addEdge(['a', 'b', 'c'], 'join')
    .addEdge('join', END)
    .compile({ checkpointer });
  let seq = 0;
  const prefix = `t${Date.now()}`;
  return {
    name: 'LangGraph.js + Postgres checkpointer',
    resumes: 'no (a killed run stays at its last checkpoint until the app invokes its thread again)',
    run: async () => {
      const r = await graph.invoke({ done: [] }, { configurable: { thread_id: `${prefix}-${seq++}` } });
      if (r.done.length !== 5) throw new Error(`LangGraph run ended with ${r.done.length} steps`);
    },
    close: async () => {
      await checkpointer.end();
    },
  };
}

async function mastraSystem(dir: string): Promise<System> {
  const { Mastra } = await import('@mastra/core');
  const { createStep, createWorkflow } = await import('@mastra/core/workflows');
  const { LibSQLStore } = await import('@mastra/libsql');
  const io = z.object({ n: z.number() });
  const step = (id: string) => createStep({ id, inputSchema: io, outputSchema: io, execute: async ({ inputData }) => ({ n: inputData.n + 1 }) });
  const joinStep = createStep({
    id: 'join',
    inputSchema: z.object({ a: io, b: io, c: io }),
    outputSchema: io,
    execute: async ({ inputData }) => ({ n: inputData.a.n + inputData.b.n + inputData.c.n }),
  });
  const wf = createWorkflow({ id: 'fanout', inputSchema: io, outputSchema: io })
    .then(step('start'))
    .parallel([step('a'), step('b'), step('c')])
    .then(joinStep)
    .commit();
  const mastra = new Mastra({ workflows: { fanout: wf }, storage: new LibSQLStore({ url: `file:${join(dir, 'mastra.db')}` }), logger: false });
  const workflow = mastra.getWorkflow('fanout');
  return {
    name: 'Mastra + LibSQL',
    resumes: 'no (runs execute in the calling process; a killed run stays as its last snapshot)',
    run: async () => {
      const run = await workflow.createRunAsync();
      const r = await run.start({ inputData: { n: 0 } });
      if (r.status !== 'success') throw new Error(`Mastra run ended ${r.status}`);
    },
    close: async () => undefined,
  };
}

const t = await startTestServices({ DATAOPS_NODES_CONCURRENCY: '16', DATAOPS_JOB_ATTEMPTS: '1' });
const dir = await mkdtemp(join(tmpdir(), 'peer-bench-'));
const systems: System[] = [await rawSystem(t), await engineSystem(t)];
for (const make of [langGraphSystem, () => mastraSystem(dir)]) {
  try {
    systems.push(await make());
  } catch (err) {
    console.error(`skipped a peer: ${(err as Error).message}`);
  }
}
const rounds = new Map<string, Figures[]>(systems.map((s) => [s.name, []]));
for (const s of systems) await lanes(100, IN_FLIGHT, () => s.run()); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  for (const s of systems) rounds.get(s.name)!.push(await lanes(Math.ceil(N / ROUNDS), IN_FLIGHT, () => s.run()));
}
const medianBy = (xs: Figures[]) => [...xs].sort((a, b) => a.perSec - b.perSec)[Math.floor((xs.length - 1) / 2)]!;
const raw = medianBy(rounds.get('raw BullMQ')!);
console.log(`\nstart → a ∥ b ∥ c → join, no-op steps; ${IN_FLIGHT} in flight, N = ${N} per system in ${ROUNDS} interleaved rounds (median round); ${new Date().toISOString().slice(0, 10)}, Node ${process.version}`);
console.log('| system | runs/s | p50 ms | p99 ms | ratio to raw BullMQ | resumes a run by itself after kill -9 |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const s of systems) {
  const f = medianBy(rounds.get(s.name)!);
  console.log(`| ${s.name} | ${fmt(f.perSec)} | ${fmt(f.p50Ms)} | ${fmt(f.p99Ms)} | ${fmt(f.perSec / raw.perSec, 2)} | ${s.resumes} |`);
}
for (const s of systems) await s.close();
await t.cleanup();
await rm(dir, { recursive: true, force: true });
process.exit(0);
