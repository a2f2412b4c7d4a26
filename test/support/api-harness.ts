import type { RedisClient } from '../../src/infra/redis.js';
import { WebSocket } from 'ws';
import { createLogger } from '../../src/logger.js';
import type { JobStatus } from '../../src/client/producer-api.js';
import { allQueueNames, startWorkers, type RunningWorkers } from '../../src/runtime/workers.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { startServer, type RunningServer } from '../../producers/server.js';
import { testRegistry } from './test-workflows.js';
import { startTestServices, type TestServices } from './test-services.js';
import { waitForJob } from './wait-for-job.js';

/** API keys of the harness users (`admin` is the only admin). */
export const KEYS = {
  alice: 'test-key-alice-0123456789',
  bob: 'test-key-bob-0123456789',
  admin: 'test-key-admin-0123456789',
} as const;
export const JWT_SECRET = 'test-jwt-secret-0123456789-0123456789';
export const JWT_ISSUER = 'https://issuer.test';
export const JWT_AUDIENCE = 'dataops-api';

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer was JSON, else undefined. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export interface CallOptions {
  token?: string | undefined;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (with `headers['content-type']`). */
  body?: RequestInit['body'];
  headers?: Record<string, string>;
}

/** A WebSocket client that collects a session's events. */
export interface EventClient {
  ws: WebSocket;
  events: { type: string; [k: string]: unknown }[];
  /** Resolves with the first collected (or future) event matching `pred`. */
  next(pred: (e: { type: string; [k: string]: unknown }) => boolean, timeoutMs?: number): Promise<{ type: string; [k: string]: unknown }>;
  close(): Promise<void>;
}

export interface ApiHarness {
  t: TestServices;
  rt: Runtime;
  srv: RunningServer;
  url: string;
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** Opens `/v1/sessions/:id/events` and waits for the `subscribed` message. */
  events(sessionId: string, token: string): Promise<EventClient>;
  startWorkers(): Promise<RunningWorkers>;
  waitForJob(jobId: string, timeoutMs?: number): Promise<JobStatus>;
  /** Total jobs in every queue, every state (proves "nothing enqueued"). */
  jobTotal(): Promise<number>;
  cleanup(): Promise<void>;
}

export interface ApiHarnessOptions {
  /** Extra environment (e.g. `DATAOPS_RATE_LIMIT_PER_MINUTE`). */
  env?: Record<string, string>;
  /** `test`: the small test workflows (default); `builtin`: the real ones (JIL, CSV…). */
  workflows?: 'test' | 'builtin';
  /** Failed authentications per minute per IP before 429. Default 100000 (auth matrices fail on purpose). */
  authFailuresPerMinute?: number;
}

/**
 * A real API on port 0 over real Redis + dynalite + s3rver, with three users (alice, bob, admin),
 * JWTs (HS256, issuer and audience checked) and, on demand, in-process workers.
 */
export async function startApiHarness(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const t = await startTestServices({
    DATAOPS_API_KEYS: `alice:${KEYS.alice},bob:${KEYS.bob},admin:${KEYS.admin}`,
    DATAOPS_ADMIN_USERS: 'admin',
    DATAOPS_JWT_SECRET: JWT_SECRET,
    DATAOPS_JWT_ISSUER: JWT_ISSUER,
    DATAOPS_JWT_AUDIENCE: JWT_AUDIENCE,
    DATAOPS_JSON_BODY_LIMIT: '64kb',
    DATAOPS_ARTIFACT_MAX_BYTES: String(256 * 1024),
    ...options.env,
  });
  const log = createLogger(t.config.logLevel);
  let counters: RedisClient | undefined;
  let registry;
  if ((options.workflows ?? 'test') === 'test') {
    const r = testRegistry(t.config.redis, t.services.keyPrefix);
    registry = r.registry;
    counters = r.redis;
  }
  const rt = await createRuntime(t.config, log, { services: t.services, ...(registry ? { registry } : {}) });
  const srv = await startServer(rt, {
    log,
    port: 0,
    host: '127.0.0.1',
    heartbeatMs: 5000,
    drainMs: 2000,
    app: { authFailuresPerMinute: options.authFailuresPerMinute ?? 100_000 },
  });
  const workers: RunningWorkers[] = [];
  const sockets = new Set<WebSocket>();

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    let body: RequestInit['body'] | undefined = o.body;
    if (o.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof o.json === 'string' ? o.json : JSON.stringify(o.json);
    }
    const res = await fetch(`${srv.url}${path}`, { method, headers, ...(body !== undefined ? { body, duplex: 'half' } : {}) } as RequestInit);
    const text = await res.text();
    let parsed: unknown;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  const events = (sessionId: string, token: string): Promise<EventClient> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/v1/sessions/${sessionId}/events`, { headers: { authorization: `Bearer ${token}` } });
      sockets.add(ws);
      const collected: EventClient['events'] = [];
      const waiters = new Set<{ pred: (e: EventClient['events'][number]) => boolean; resolve: (e: EventClient['events'][number]) => void }>();
      const client: EventClient = {
        ws,
        events: collected,
        next: (pred, timeoutMs = 20_000) => {
          const found = collected.find(pred);
          if (found) return Promise.resolve(found);
          return new Promise((res, rej) => {
            const w = {
              pred,
              resolve: (e: EventClient['events'][number]) => {
                clearTimeout(timer);
                res(e);
              },
            };
            const timer = setTimeout(() => {
              waiters.delete(w);
              rej(new Error(`no matching event in ${timeoutMs} ms; got ${collected.map((e) => e.type).join(', ')}`));
            }, timeoutMs);
            waiters.add(w);
          });
        },
        close: () =>
          new Promise((res) => {
            if (ws.readyState === ws.CLOSED) return res();
            ws.once('close', () => res());
            ws.close();
          }),
      };
      ws.on('message', (data) => {
        const e = JSON.parse(String(data)) as EventClient['events'][number];
        if (e.type === 'subscribed') return resolve(client);
        collected.push(e);
        for (const w of [...waiters]) {
          if (w.pred(e)) {
            waiters.delete(w);
            w.resolve(e);
          }
        }
      });
      ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.on('error', reject);
    });

  return {
    t,
    rt,
    srv,
    url: srv.url,
    call,
    events,
    startWorkers: async () => {
      const w = await startWorkers(rt, { queues: allQueueNames(rt).filter((q) => q !== 'maintenance'), schedule: false });
      workers.push(w);
      return w;
    },
    waitForJob: (jobId, timeoutMs) => waitForJob(rt.producer, jobId, timeoutMs),
    jobTotal: async () => {
      let n = 0;
      for (const q of rt.producer.allQueues()) {
        const c = await q.getJobCounts();
        n += Object.values(c).reduce((a, b) => a + b, 0);
      }
      return n;
    },
    cleanup: async () => {
      for (const ws of sockets) ws.terminate();
      // the jobs a test left running finish first (bounded), so none writes to a store being closed
      for (const w of workers) await w.close(false, 3000).catch(() => undefined);
      await srv.close();
      await rt.close();
      counters?.disconnect();
      await t.cleanup();
    },
  };
}
