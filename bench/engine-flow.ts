import { FlowProducer, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import { createLogger } from '../src/logger.js';
import { startWorkers } from '../src/runtime/workers.js';
import { RETENTION } from '../src/runtime/queues.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { defineWorkflow } from '../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../src/workflows/registry.js';
import { startTestServices } from '../test/support/test-services.js';
import { isCluster, type RedisClient } from '../src/infra/redis.js';

export interface FlowBenchFigures {
  flows: number;
  seconds: number;
  flowsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of this process (user + system) per flow, in ms: the engine's own cost shows here. */
  cpuMsPerFlow: number;
}

export interface FlowBenchResult {
  raw: FlowBenchFigures;
  engine: FlowBenchFigures;
  /** engine flows/s ÷ raw flows/s of the median round (goal ≥ 0.7). */
  ratio: number;
  /** The ratio of every round. */
  ratios: number[];
  concurrency: number;
  /** Redis commands per flow, by command, for raw BullMQ and this engine. */
  commands: { raw: CommandCounts; engine: CommandCounts };
}

export interface CommandCounts {
  total: number;
  byCommand: Record<string, number>;
  /** Microseconds Redis spent in commands per flow (INFO commandstats `usec`; scripts include their calls). */
  usecPerFlow: number;
  /** CPU time of the Redis server per flow in ms (INFO cpu, user + system; the whole server, so run the bench on a Redis of its own). */
  redisCpuMsPerFlow: number;
}

function figures(latencies: number[], seconds: number, cpu: NodeJS.CpuUsage): FlowBenchFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const cpuMsPerFlow = (cpu.user + cpu.system) / 1000 / Math.max(1, sorted.length);
  return { flows: sorted.length, seconds, flowsPerSec: sorted.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), cpuMsPerFlow };
}

/** Enqueues `flows` flows (at most `inFlight` unfinished at once) and times each from enqueue to done. */
async function drive(flows: number, inFlight: number, enqueue: (i: number) => Promise<string>, done: Map<string, () => void>): Promise<FlowBenchFigures> {
  const latencies: number[] = [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  const lane = async () => {
    while (next < flows) {
      const i = next++;
      const t0 = performance.now();
      const finished = new Promise<void>((ok) => done.set(`flow-${i}`, ok));
      const id = await enqueue(i);
      done.set(id, done.get(`flow-${i}`)!);
      await finished;
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return figures(latencies, (performance.now() - started) / 1000, process.cpuUsage(cpu));
}

/**
 * The flow: 1 parent and 3 children, no-op nodes. Raw BullMQ (FlowProducer + Worker) and
 * this engine (enqueueRun → flow tree → node workers) in the same process, same Redis, same
 * concurrency and the same job options. The two run in alternating rounds (after a warm-up each),
 * so a burst of load from elsewhere on the machine hits both; the figures are the median round.
 */
export async function benchEngineFlow(opts: { flows?: number; concurrency?: number; inFlight?: number; rounds?: number } = {}): Promise<FlowBenchResult> {
  const flows = opts.flows ?? 5000;
  const rounds = opts.rounds ?? 5;
  const perRound = Math.ceil(flows / rounds);
  const concurrency = opts.concurrency ?? 16;
  const inFlight = opts.inFlight ?? 32;
  const t = await startTestServices({ DATAOPS_NODES_CONCURRENCY: String(concurrency), DATAOPS_JOB_ATTEMPTS: '1' });
  try {
    // raw BullMQ baseline
    const connection = t.services.bullConnection;
    const prefix = `{${t.config.redis.queuePrefix}raw}`;
    const rawDone = new Map<string, () => void>();
    const rawWorker = new Worker(
      'raw',
      async (job: Job) => {
        if (job.name === 'parent') await job.getChildrenValues();
        return { ok: true };
      },
      { connection, prefix, concurrency },
    );
    rawWorker.on('completed', (job) => {
      if (job.name === 'parent') rawDone.get(job.id!)?.();
    });
    const producer = new FlowProducer({ connection, prefix });
    await rawWorker.waitUntilReady();
    const rawEnqueue = async (i: number) => {
      const node = await producer.add({
        name: 'parent',
        queueName: 'raw',
        data: { i },
        // the same job options the engine gives its jobs: retention, one attempt, explicit failure policy
        opts: { ...RETENTION, attempts: 1 },
        children: [0, 1, 2].map((c) => ({ name: 'child', queueName: 'raw', data: { i, c }, opts: { ...RETENTION, attempts: 1, failParentOnFailure: true } })),
      });
      return node.job.id!;
    };

    // this engine
    const registry = new WorkflowRegistry();
    for (const name of ['bench.child', 'bench.parent']) {
      registry.register(
        defineWorkflow({ name, description: 'no-op', examples: [], input: z.object({}).passthrough(), output: z.object({}).passthrough(), nodes: { run: { run: async () => ({}) } } }),
      );
    }
    const rt = await createRuntime(t.config, createLogger('silent'), { registry, services: t.services });
    const workers = await startWorkers(rt, { queues: ['nodes'], schedule: false });
    const engineDone = new Map<string, () => void>();
    workers.workers[0]!.on('completed', (job) => {
      if ((job.data as { root?: boolean }).root) engineDone.get(job.id!)?.();
    });
    const session = await rt.sessions.create('bench');
    const spec = { sequence: [{ parallel: [{ workflow: 'bench.child' }, { workflow: 'bench.child' }, { workflow: 'bench.child' }] }, { workflow: 'bench.parent' }] };
    if ((await rt.producer.dryRun(spec, { userId: 'bench', sessionId: session.sessionId })).mode !== 'tree') throw new Error('bench flow must compile to a tree');
    const engineEnqueue = async () => (await rt.producer.enqueueRun({ sessionId: session.sessionId, userId: 'bench', spec })).jobId;

    await drive(200, inFlight, rawEnqueue, rawDone);
    await drive(200, inFlight, engineEnqueue, engineDone);
    const rawRounds: FlowBenchFigures[] = [];
    const engineRounds: FlowBenchFigures[] = [];
    for (let r = 0; r < rounds; r++) {
      rawRounds.push(await drive(perRound, inFlight, rawEnqueue, rawDone));
      engineRounds.push(await drive(perRound, inFlight, engineEnqueue, engineDone));
    }
    // Redis commands, their time and the server's CPU per flow (INFO around one more round of each;
    // other clients of the same Redis count too, so run the bench on a Redis of its own for exact figures)
    const counted = 500;
    const commands = {
      raw: await commandsPerFlow(t.services.redis, () => drive(counted, inFlight, rawEnqueue, rawDone), counted),
      engine: await commandsPerFlow(t.services.redis, () => drive(counted, inFlight, engineEnqueue, engineDone), counted),
    };
    await rawWorker.close();
    await producer.close();
    await workers.close(true);
    await rt.close();
    const ratios = engineRounds.map((e, i) => e.flowsPerSec / rawRounds[i]!.flowsPerSec);
    const mid = median(ratios.map((x, i) => [x, i] as const));
    return { raw: rawRounds[mid]!, engine: engineRounds[mid]!, ratio: ratios[mid]!, ratios, concurrency, commands };
  } finally {
    await t.cleanup();
  }
}

/** Commands Redis served while `work` ran, per flow, with their time and the server's CPU (this node only). */
async function commandsPerFlow(redis: RedisClient, work: () => Promise<unknown>, flows: number): Promise<CommandCounts> {
  const stats = async () => {
    if (isCluster(redis)) return { calls: new Map<string, number>(), usec: 0, cpu: 0 };
    const [text, cpuText] = await Promise.all([redis.info('commandstats'), redis.info('cpu')]);
    const calls = new Map<string, number>();
    let usec = 0;
    for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
      calls.set(m[1]!, Number(m[2]));
      if (m[1] !== 'info') usec += Number(m[3]);
    }
    const cpuOf = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(cpuText)?.[1] ?? 0);
    return { calls, usec, cpu: cpuOf('used_cpu_user') + cpuOf('used_cpu_sys') };
  };
  const before = await stats();
  await work();
  const after = await stats();
  const byCommand: Record<string, number> = {};
  let total = 0;
  for (const [cmd, n] of after.calls) {
    const d = (n - (before.calls.get(cmd) ?? 0)) / flows;
    // the INFO calls themselves are not the workload's
    if (d > 0 && cmd !== 'info') {
      byCommand[cmd] = Math.round(d * 100) / 100;
      total += d;
    }
  }
  return {
    total: Math.round(total * 10) / 10,
    byCommand,
    usecPerFlow: Math.round((after.usec - before.usec) / flows),
    redisCpuMsPerFlow: Math.round(((after.cpu - before.cpu) * 1000 * 100) / flows) / 100,
  };
}

/** Index of the median of [value, index] pairs. */
function median(pairs: (readonly [number, number])[]): number {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  return sorted[Math.floor((sorted.length - 1) / 2)]![1];
}
