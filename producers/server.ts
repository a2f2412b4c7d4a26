import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors/config-error.js';
import { createLogger, type Logger } from '../src/logger.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { createApp, type ApiApp, type AppOptions } from './app.js';
import { withDevelopmentKey } from './dev-key.js';
import { assertPortFree, portInUseError } from './port-check.js';
import { QueueEventsBridge } from '../src/runtime/queue-events-bridge.js';
import { SessionEventHub } from './event-hub.js';
import type { ApiRuntime } from './runtime-port.js';
import { EventSockets } from './ws.js';
import { installShutdown } from '../workers/shutdown.js';

/**
 * The client IP of a raw request (a WebSocket upgrade) exactly as Express computes `req.ip` for
 * the app: through its `trust proxy` setting (DATAOPS_TRUST_PROXY).
 */
function clientIpOf(app: ApiApp['app'], req: IncomingMessage): string | undefined {
  const view = Object.create(app.request, { headers: { value: req.headers }, socket: { value: req.socket } }) as { ip?: string };
  return view.ip;
}

export interface StartServerOptions {
  log: Logger;
  /** Port to listen on; 0 picks a free one. Default `config.http.port`. */
  port?: number;
  /** Interface to bind. Default `config.http.host`. */
  host?: string;
  /** Passed to createApp (authenticator, JWKS, trust proxy…). */
  app?: Omit<AppOptions, 'log'>;
  /** WebSocket ping interval. Default 30000 ms. */
  heartbeatMs?: number;
  /** How long `close()` waits for in-flight requests before cutting them. Default 10000 ms. */
  drainMs?: number;
}

export interface RunningServer {
  /** `http://host:port` (a wildcard bind is shown as 127.0.0.1). */
  url: string;
  port: number;
  server: Server;
  api: ApiApp;
  sockets: EventSockets;
  hub: SessionEventHub;
  /** Stops accepting, closes WebSockets (1001), drains requests, stops the event streams. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the API on an HTTP server with the WebSocket endpoint on the same port. It does not own
 * the runtime: the caller closes it after `close()`.
 */
export async function startServer(rt: ApiRuntime, options: StartServerOptions): Promise<RunningServer> {
  const log = options.log;
  const api = createApp(rt, { ...options.app, log });
  const hub = new SessionEventHub(rt.services.redis, rt.services.keyPrefix, log.child({ component: 'events' }));
  const sockets = new EventSockets({
    rt,
    authn: api.authn,
    rateLimits: api.rateLimits,
    hub,
    log: log.child({ component: 'ws' }),
    clientIp: (req) => clientIpOf(api.app, req),
    maxPerUser: rt.config.http.socketsPerUser,
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  // node lifecycle events come from BullMQ's own streams, translated only for sessions listened to here
  const bridge = new QueueEventsBridge({
    services: rt.services,
    queues: rt.producer.queues,
    artifacts: rt.artifacts,
    hasListeners: (sessionId) => hub.hasListeners(sessionId),
    deliver: (sessionId, event) => hub.deliver(sessionId, event),
    log: log.child({ component: 'queue-events' }),
  });
  await bridge.start();
  const server = createServer(api.app);
  server.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head));
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // uploads and downloads may be long; idle sockets still time out
  const host = options.host ?? rt.config.http.host;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? rt.config.http.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await sockets.close();
    await bridge.close();
    await hub.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUseError(host, options.port ?? rt.config.http.port);
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await sockets.close();
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        stopped.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), options.drainMs ?? 10_000);
        }),
      ]);
      clearTimeout(timer);
      if (!drained) {
        log.warn('requests still running at shutdown; closing their connections');
        server.closeAllConnections();
        await stopped;
      }
      await bridge.close();
      await hub.close();
    })());
  return { url: `http://${shownHost}:${port}`, port, server, api, sockets, hub, close };
}

/** The `web` process: config → runtime → API; SIGTERM/SIGINT drain and exit, a second signal forces. */
async function main(): Promise<void> {
  const loaded = loadConfig();
  await assertPortFree(loaded.http.host, loaded.http.port);
  const log = createLogger(loaded.logLevel, { service: 'api' }, { format: loaded.logFormat });
  let config = loaded;
  if (!config.auth.apiKeys.length && !config.auth.jwtSecret && !config.auth.jwksUrl) {
    if (config.env === 'production') {
      throw new ConfigError('No authentication configured: set DATAOPS_API_KEYS, DATAOPS_JWT_SECRET or DATAOPS_JWKS_URL');
    }
    const dev = await withDevelopmentKey(config);
    config = dev.config;
    if (dev.devKey?.created) process.stdout.write(`Development API key (shown once, kept in ${dev.devKey.file}):\n  ${dev.devKey.key}\n`);
    else if (dev.devKey) process.stdout.write(`Using the development API key in ${dev.devKey.file}\n`);
  }
  const rt = await createRuntime(config, log);
  const srv = await startServer(rt, { log });
  log.info({ url: srv.url, bullBoard: `${srv.url}/admin/queues` }, 'API listening');
  installShutdown(log, config.workers.shutdownTimeoutMs, async () => {
    await srv.close();
    await rt.close();
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
