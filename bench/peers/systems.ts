/**
 * The peer bench's systems, one builder each: the same workflow (start → a ∥ b ∥ c → join, no-op
 * steps) on this engine, raw BullMQ, LangGraph.js (Postgres checkpointer) and Mastra (LibSQL).
 * `npm run bench:peers` (run.ts) times `run()`; the kill -9 probe (crash-probe.ts) starts one run
 * with `begin()` in a child process that it kills while step `a` runs, then asks a fresh process
 * whether the run finished by itself (`state()`).
 */
import { join } from 'node:path';
import { FlowProducer, Job, Queue, Worker } from 'bullmq';
import { z } from 'zod';
import type { Config } from '../../src/config.js';
import type { Services } from '../../src/infra/services.js';
import { createLogger } from '../../src/logger.js';
import { startWorkers } from '../../src/runtime/workers.js';
import { RETENTION } from '../../src/runtime/queues.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { defineWorkflow } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

export const PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** What step `a` does besides its no-op; the kill -9 probe makes it announce itself and hang. */
export const hooks = { a: async (): Promise<void> => undefined };

/** Where a run stands, as the system itself records it. */
export interface RunState {
  finished: boolean;
  /** The system's own word for it (a job state, the checkpoint's next steps, a snapshot status). */
  detail: string;
}

export interface System {
  name: string;
  /** One run, start to end (the timed operation). */
  run(): Promise<void>;
  /** Starts one run without waiting for it; the id `state` takes. */
  begin(): Promise<string>;
  state(id: string): Promise<RunState>;
  close(): Promise<void>;
}

/** Redis and the storage the two BullMQ systems use (the bench's, or a probe child's from the same env). */
export interface BullDeps {
  config: Config;
  services: Services;
}

export const SYSTEM_KEYS = ['raw', 'engine', 'langgraph', 'mastra'] as const;
export type SystemKey = (typeof SYSTEM_KEYS)[number];

/** Builds one system; `dir` holds Mastra's LibSQL file. */
export function buildSystem(key: SystemKey, deps: BullDeps, dir: string): Promise<System> {
  if (key === 'raw') return rawSystem(deps);
  if (key === 'engine') return engineSystem(deps);
  if (key === 'langgraph') return langGraphSystem();
  return mastraSystem(dir);
}

async function engineSystem({ config, services }: BullDeps): Promise<System> {
  const registry = new WorkflowRegistry();
  for (const name of ['peer.start', 'peer.a', 'peer.b', 'peer.c', 'peer.join']) {
    const run = name === 'peer.a' ? async () => (await hooks.a(), { [name]: true }) : async () => ({ [name]: true });
    registry.register(defineWorkflow({ name, description: 'no-op', examples: [], input: z.object({}).passthrough(), output: z.object({}).passthrough(), nodes: { run: { run } } }));
  }
  const rt = await createRuntime(config, createLogger('silent'), { registry, services });
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
  const begin = async () => (await rt.producer.enqueueRun({ sessionId: session.sessionId, userId: 'bench', spec })).jobId;
  return {
    name: 'this engine',
    run: async () => {
      let done!: () => void;
      const finished = new Promise<void>((ok) => (done = ok));
      const jobId = await begin();
      waiting.set(jobId, done);
      if (early.delete(jobId)) done();
      await finished;
      waiting.delete(jobId);
    },
    begin: async () => {
      const jobId = await begin();
      early.delete(jobId);
      return jobId;
    },
    state: async (id) => {
      const s = await rt.producer.getJob(id);
      return { finished: s.state === 'completed', detail: `job ${s.state}` };
    },
    close: async () => {
      await workers.close(true);
      await rt.close();
    },
  };
}

async function rawSystem({ config, services }: BullDeps): Promise<System> {
  const connection = services.bullConnection;
  const prefix = `{${config.redis.queuePrefix}peer}`;
  const locks = { lockDuration: config.workers.lockDurationMs, stalledInterval: config.workers.stalledIntervalMs };
  const flows = new FlowProducer({ connection, prefix });
  const startQ = new Queue('start', { connection, prefix });
  const stepsQ = new Queue('steps', { connection, prefix });
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
    { connection, prefix, concurrency: 16, ...locks },
  );
  const stepWorker = new Worker(
    'steps',
    async (job: Job) => {
      if (job.name === 'a') await hooks.a();
      if (job.name === 'join') await job.getChildrenValues();
      return {};
    },
    { connection, prefix, concurrency: 16, ...locks },
  );
  stepWorker.on('completed', (job) => {
    if (job.name === 'join') waiting.get((job.data as { run: string }).run)?.();
  });
  await Promise.all([startWorker.waitUntilReady(), stepWorker.waitUntilReady()]);
  // short ids for the timed runs, as BullMQ users pick them; a probe's run is named apart (its
  // processes share the prefix, and an id already taken would make the add a no-op)
  let seq = 0;
  return {
    name: 'raw BullMQ',
    run: async () => {
      const id = `r${seq++}`;
      const finished = new Promise<void>((ok) => waiting.set(id, ok));
      await startQ.add('start', {}, { ...RETENTION, attempts: 1, jobId: id });
      await finished;
      waiting.delete(id);
    },
    begin: async () => {
      const id = `probe-${process.pid}-${Date.now().toString(36)}`;
      await startQ.add('start', {}, { ...RETENTION, attempts: 1, jobId: id });
      return id;
    },
    state: async (id) => {
      const join = await Job.fromId(stepsQ, `${id}.join`);
      const state = join ? await join.getState() : 'not added yet';
      return { finished: state === 'completed', detail: `join ${state}` };
    },
    close: async () => {
      await startWorker.close();
      await stepWorker.close();
      await startQ.close();
      await stepsQ.close();
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
  const step = (name: string) => async () => {
    if (name === 'a') await hooks.a();
    return { done: [name] };
  };
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
  const prefix = `t${process.pid}-${Date.now()}`;
  const invoke = (thread: string) => graph.invoke({ done: [] }, { configurable: { thread_id: thread } });
  return {
    name: 'LangGraph.js + Postgres checkpointer',
    run: async () => {
      const r = await invoke(`${prefix}-${seq++}`);
      if (r.done.length !== 5) throw new Error(`LangGraph run ended with ${r.done.length} steps`);
    },
    begin: async () => {
      const thread = `${prefix}-${seq++}`;
      // runs in this process until it ends (or the process does)
      invoke(thread).catch(() => undefined);
      return thread;
    },
    state: async (thread) => {
      const s = await graph.getState({ configurable: { thread_id: thread } });
      const done = (s.values as { done?: string[] }).done ?? [];
      return { finished: s.next.length === 0 && done.length === 5, detail: `its checkpoint has ${done.length} of 5 steps, next: ${s.next.join(', ') || 'none'}` };
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
  const step = (id: string) =>
    createStep({
      id,
      inputSchema: io,
      outputSchema: io,
      execute: async ({ inputData }) => {
        if (id === 'a') await hooks.a();
        return { n: inputData.n + 1 };
      },
    });
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
    run: async () => {
      const run = await workflow.createRunAsync();
      const r = await run.start({ inputData: { n: 0 } });
      if (r.status !== 'success') throw new Error(`Mastra run ended ${r.status}`);
    },
    begin: async () => {
      const run = await workflow.createRunAsync();
      // runs in this process until it ends (or the process does)
      run.start({ inputData: { n: 0 } }).catch(() => undefined);
      return run.runId;
    },
    state: async (runId) => {
      const r = await workflow.getWorkflowRunExecutionResult(runId);
      return { finished: r?.status === 'success', detail: r ? `its stored snapshot says ${r.status}` : 'no stored snapshot of it' };
    },
    close: async () => undefined,
  };
}
