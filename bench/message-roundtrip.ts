import { Queue, WaitingChildrenError, Worker, type Job } from 'bullmq';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { createLogger } from '../src/logger.js';
import { newMessageId } from '../src/sessions/message.js';
import type { SeqGrant } from '../src/sessions/seq-allocator.js';
import { startWorkers } from '../src/runtime/workers.js';
import { RETENTION } from '../src/runtime/queues.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { defineWorkflow } from '../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../src/workflows/registry.js';
import { startServer } from '../producers/server.js';
import { startTestServices } from '../test/support/test-services.js';
import { BenchHttp } from './http-client.js';
import { benchStorage, countRequests, lanes, peakRss, type Figures } from './stats.js';

export interface RoundTripLine {
  inFlight: number;
  engine: Figures;
  floor: Figures;
  /**
   * The floor plus the session writes a message makes (the user's message before the job is added,
   * the reply before it completes; the same SessionManager calls, so the same DynamoDB requests and
   * Redis mirror): how much of the gap to the floor is durable storage rather than the engine.
   */
  storedFloor: Figures;
  /** DynamoDB requests per message on the engine's path, by command. */
  dynamoPerMessage: Record<string, number>;
}

export interface RoundTripResult {
  lines: RoundTripLine[];
  peakRssMb: number;
}

const KEY = 'bench-key-0123456789abcdef';

/** A raw floor message: `store` (the stored floor) names the session its reply goes to and the reply's seq. */
interface RawMessage {
  started: boolean;
  store?: { sessionId: string; replySeq: SeqGrant };
}
const WARM_UP_LANES = 4;

/**
 * A user message's whole path with the offline router and a one-node no-op workflow:
 * POST /v1/sessions/:id/messages → orchestrator job → run (one node job, the orchestrator's child)
 * → reply stored in the session → `reply` event on the session's WebSocket. The floor is raw
 * BullMQ doing the same jobs and flows in the same process and Redis: a parent job that adds one
 * child, waits for it, and completes.
 */
export async function benchMessageRoundTrip(opts: { messages?: number; inFlight?: number[] } = {}): Promise<RoundTripResult> {
  const total = opts.messages ?? 400;
  const t = await startTestServices({
    DATAOPS_API_KEYS: `bench:${KEY}`,
    DATAOPS_RATE_LIMIT_PER_MINUTE: '100000000',
    // one WebSocket per lane, all of one user
    DATAOPS_WS_PER_USER: '64',
    DATAOPS_ORCHESTRATOR_CONCURRENCY: '32',
    DATAOPS_NODES_CONCURRENCY: '32',
    DATAOPS_JOB_ATTEMPTS: '1',
  }, benchStorage());
  const rss = peakRss();
  try {
    const registry = new WorkflowRegistry();
    registry.register(
      defineWorkflow({
        name: 'bench.echo',
        description: 'Echo a ping back.',
        examples: ['echo ping'],
        input: z.object({}).passthrough(),
        output: z.object({}).passthrough(),
        nodes: { run: { run: async () => ({}) } },
      }),
    );
    const log = createLogger('silent');
    const rt = await createRuntime(t.config, log, { registry, services: t.services });
    const srv = await startServer(rt, { log, port: 0, host: '127.0.0.1' });
    const workers = await startWorkers(rt, { queues: ['orchestrator', 'nodes', 'flows'], schedule: false });

    // raw BullMQ floor: the same two jobs per message, parent waits for its child
    const connection = t.services.bullConnection;
    const prefix = `{${t.config.redis.queuePrefix}raw}`;
    const rawMsg = new Queue('rawmsg', { connection, prefix });
    const rawNode = new Queue('rawnode', { connection, prefix });
    const rawDone = new Map<string, () => void>();
    const parentWorker = new Worker(
      'rawmsg',
      async (job: Job, token?: string) => {
        const data = job.data as RawMessage;
        if (!data.started) {
          await rawNode.add('node', {}, { ...RETENTION, attempts: 1, parent: { id: job.id!, queue: job.queueQualifiedName }, failParentOnFailure: true });
          await job.updateData({ ...data, started: true });
          if (await job.moveToWaitingChildren(token!)) throw new WaitingChildrenError();
        }
        await job.getChildrenValues();
        // the stored floor puts the reply at the seq its question reserved, as the orchestrator does
        if (data.store) await rt.sessions.addMessage(data.store.sessionId, { role: 'assistant', content: 'Done.', messageId: newMessageId() }, { seq: data.store.replySeq });
        return { ok: true };
      },
      { connection, prefix, concurrency: 32 },
    );
    parentWorker.on('completed', (job) => rawDone.get(job.id!)?.());
    const nodeWorker = new Worker('rawnode', async () => ({}), { connection, prefix, concurrency: 32 });
    await Promise.all([parentWorker.waitUntilReady(), nodeWorker.waitUntilReady()]);
    let rawSeq = 0;
    const rawOp = async (store?: RawMessage['store']) => {
      const id = `m${rawSeq++}`;
      const done = new Promise<void>((ok) => rawDone.set(id, ok));
      await rawMsg.add('message', { started: false, ...(store ? { store } : {}) } satisfies RawMessage, { ...RETENTION, attempts: 1, jobId: id });
      await done;
      rawDone.delete(id);
    };

    // the engine: one session and one WebSocket per lane (a session's messages are handled in order)
    const maxLanes = Math.max(WARM_UP_LANES, ...(opts.inFlight ?? [1, 32]));
    const http = new BenchHttp(srv.url, { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, maxLanes);
    // A lane sends one message at a time to its own session, so the next `reply` on its socket is
    // the answer to the message it sent (checked against the job id once the POST has answered).
    const sockets: { sessionId: string; ws: WebSocket; replied?: (jobId: string) => void }[] = [];
    for (let i = 0; i < maxLanes; i++) {
      const created = await http.send('POST', '/v1/sessions', {});
      const { sessionId } = created.json as { sessionId: string };
      const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/v1/sessions/${sessionId}/events`, { headers: { authorization: `Bearer ${KEY}` } });
      const lane: (typeof sockets)[number] = { sessionId, ws };
      await new Promise<void>((ok, fail) => {
        ws.on('message', (data) => {
          const e = JSON.parse(String(data)) as { type: string; jobId?: string };
          if (e.type === 'subscribed') ok();
          if (e.type === 'reply' && e.jobId) lane.replied?.(e.jobId);
        });
        ws.on('error', fail);
      });
      sockets.push(lane);
    }
    // the stored floor: the user's message appended (taking the reply's seq too) before the job is added
    const storedOp = async (_i: number, lane: number) => {
      const sessionId = sockets[lane]!.sessionId;
      let replySeq: SeqGrant | undefined;
      await rt.sessions.addMessage(sessionId, { role: 'user', content: 'echo ping', messageId: newMessageId() }, { fresh: true, reserve: (next) => (replySeq = next) });
      await rawOp({ sessionId, replySeq: replySeq! });
    };
    const engineOp = async (_i: number, lane: number) => {
      const s = sockets[lane]!;
      const replied = new Promise<string>((ok) => (s.replied = ok));
      const res = await http.send('POST', `/v1/sessions/${s.sessionId}/messages`, { content: 'echo ping' });
      if (res.status !== 202) throw new Error(`POST messages answered ${res.status}: ${JSON.stringify(res.json)}`);
      const { jobId } = res.json as { jobId: string };
      const repliedTo = await replied;
      s.replied = undefined;
      if (repliedTo !== jobId) throw new Error(`lane ${lane} got the reply of ${repliedTo} while waiting for ${jobId}`);
    };

    const dynamo = countRequests(t.services.dynamo);
    const lines: RoundTripLine[] = [];
    await lanes(40, WARM_UP_LANES, engineOp); // warm-up
    await lanes(40, WARM_UP_LANES, () => rawOp());
    await lanes(40, WARM_UP_LANES, storedOp);
    for (const inFlight of opts.inFlight ?? [1, 32]) {
      const n = inFlight === 1 ? Math.min(total, 150) : total;
      const floor = await lanes(n, inFlight, () => rawOp());
      const storedFloor = await lanes(n, inFlight, storedOp);
      dynamo.reset();
      dynamo.counting = true;
      const engine = await lanes(n, inFlight, engineOp);
      dynamo.counting = false;
      const dynamoPerMessage = Object.fromEntries(Object.entries(dynamo.byCommand).map(([k, v]) => [k, Math.round((v / n) * 100) / 100]));
      lines.push({ inFlight, engine, floor, storedFloor, dynamoPerMessage });
    }
    for (const s of sockets) s.ws.terminate();
    http.close();
    await parentWorker.close();
    await nodeWorker.close();
    await rawMsg.close();
    await rawNode.close();
    await workers.close(true);
    await srv.close();
    await rt.close();
    return { lines, peakRssMb: rss.stop() };
  } catch (err) {
    // the cause, before cleanup reports what the failure left open
    console.error(err);
    throw err;
  } finally {
    await t.cleanup();
  }
}
