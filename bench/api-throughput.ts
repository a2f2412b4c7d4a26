import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import express from 'express';
import { pino } from 'pino';
import { REDACT_PATHS } from '../src/logger.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { startServer } from '../producers/server.js';
import { startTestServices } from '../test/support/test-services.js';
import { benchStorage, peakRss } from './stats.js';

export interface ApiLine {
  route: string;
  /** Requests/s through the whole API (auth, rate limit, validation, logging, storage). */
  apiRps: number;
  apiP50Ms: number;
  apiP99Ms: number;
  /** Requests/s of a bare Express route in the same process. */
  bareRps: number;
  non2xx: number;
}

const KEY = 'bench-key-0123456789abcdef';

/**
 * Requests/s of `GET /v1/sessions/:id` and `POST …/messages` (no workers: the message is recorded
 * and its job enqueued, which is what the API does) against a bare Express route answering the
 * same JSON in the same process, with autocannon (the load generator runs in this process too,
 * alternating, so both share its cost).
 */
export async function benchApi(opts: { seconds?: number; connections?: number } = {}): Promise<{ lines: ApiLine[]; peakRssMb: number }> {
  const duration = opts.seconds ?? 8;
  const connections = opts.connections ?? 32;
  const t = await startTestServices({ DATAOPS_API_KEYS: `bench:${KEY}`, DATAOPS_RATE_LIMIT_PER_MINUTE: '100000000', LOG_LEVEL: 'info' }, benchStorage());
  const rss = peakRss();
  try {
    // request logging on, as in production: JSON lines at info, written to /dev/null
    const log = pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.destination({ dest: '/dev/null', sync: false }));
    const rt = await createRuntime(t.config, log, { services: t.services });
    const srv = await startServer(rt, { log, port: 0, host: '127.0.0.1' });
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const created = await fetch(`${srv.url}/v1/sessions`, { method: 'POST', headers, body: '{}' });
    const session = (await created.json()) as { sessionId: string };

    const bare = express();
    bare.use(express.json());
    bare.get('/bare', (_req, res) => res.json(session));
    bare.post('/bare', (req, res) => res.status(202).json({ got: req.body as unknown }));
    const bareServer = bare.listen(0, '127.0.0.1');
    await new Promise((ok) => bareServer.once('listening', ok));
    const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;

    const lines: ApiLine[] = [];
    const body = JSON.stringify({ content: 'profile this file' });
    for (const [route, method, path] of [
      ['GET /v1/sessions/:id', 'GET', `/v1/sessions/${session.sessionId}`],
      ['POST /v1/sessions/:id/messages', 'POST', `/v1/sessions/${session.sessionId}/messages`],
    ] as const) {
      const common = { connections, duration, method, headers, ...(method === 'POST' ? { body } : {}) };
      const bareRun = await autocannon({ ...common, url: `${bareUrl}/bare` });
      const apiRun = await autocannon({ ...common, url: `${srv.url}${path}` });
      lines.push({
        route,
        apiRps: apiRun.requests.average,
        apiP50Ms: apiRun.latency.p50,
        apiP99Ms: apiRun.latency.p99,
        bareRps: bareRun.requests.average,
        non2xx: apiRun.non2xx + apiRun.errors,
      });
    }
    await new Promise<void>((ok) => bareServer.close(() => ok()));
    // autocannon drops its connections at the deadline; handlers already running still finish
    // their writes, so give them a moment before the storage goes away
    await new Promise((ok) => setTimeout(ok, 3000));
    await srv.close();
    await rt.close();
    return { lines, peakRssMb: rss.stop() };
  } finally {
    await t.cleanup();
  }
}
