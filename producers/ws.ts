import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Logger } from '../src/logger.js';
import { NotFoundError } from '../src/errors/not-found-error.js';
import { SessionId } from '../src/sessions/session.js';
import { bearerToken, type Authenticator } from './auth.js';
import { toHttpError } from './error-handler.js';
import type { SessionEventHub } from './event-hub.js';
import { ownedSession } from './ownership.js';
import { authThrottleKey, type RateLimits } from './rate-limit.js';
import { redactUrl } from './request-id.js';
import type { ApiRuntime } from './runtime-port.js';
import { parsePart } from './validate.js';
import { AuthError } from '../src/errors/auth-error.js';
import { RateLimitError } from './http-errors.js';

/** The first message on every socket: the subscription is live, later events will arrive. */
export const SubscribedMessage = z.object({ type: z.literal('subscribed'), sessionId: z.string() }).strict();
export type SubscribedMessage = z.infer<typeof SubscribedMessage>;

const EVENTS_PATH = /^\/v1\/sessions\/([^/]+)\/events$/;

export interface EventSocketsOptions {
  rt: ApiRuntime;
  authn: Authenticator;
  rateLimits: RateLimits;
  hub: SessionEventHub;
  log: Logger;
  /** Ping interval; a client that missed the previous ping is dropped. Default 30000 ms. */
  heartbeatMs?: number;
  /** A client whose unsent buffer passes this many bytes is dropped (too slow). Default 8 MiB. */
  maxBufferedBytes?: number;
  /** The client IP of an upgrade request, as the HTTP app sees it (trust proxy). Default: the socket address. */
  clientIp?: (req: IncomingMessage) => string | undefined;
  /** Sockets one user may hold open on this process; the next upgrade gets 429. Default 20 (config: DATAOPS_WS_PER_USER). */
  maxPerUser?: number;
}

/** Close code of a socket whose credential expired (4000-4999: application codes; 4401 mirrors HTTP 401). */
export const TOKEN_EXPIRED_CLOSE_CODE = 4401;
/** Longest delay a Node timer takes; an expiry further out than this is not timed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Client {
  ws: WebSocket;
  alive: boolean;
  unsubscribe: (() => Promise<void>) | undefined;
  expiry: NodeJS.Timeout | undefined;
}

/** Writes a plain HTTP error (the error shape) on a socket that asked to upgrade, then closes it. */
function refuse(socket: Duplex, err: unknown): void {
  const http = toHttpError(err);
  const body = JSON.stringify(http.body);
  const head = [
    `HTTP/1.1 ${http.status} ${STATUS_CODES[http.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(http.headers).map(([k, v]) => `${k}: ${v}`),
  ];
  if (socket.writable) socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  else socket.destroy();
}

/**
 * `GET /v1/sessions/:id/events` as a WebSocket on the API's own HTTP server (ws in noServer mode).
 * Auth is the bearer header, or `?token=` for browsers (never logged); the session must be the
 * caller's before the upgrade completes (401/404 as a plain HTTP answer otherwise). Events come from
 * the process's shared SessionEventHub. Every client is pinged; `close()` ends all with 1001.
 */
export class EventSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly clients = new Set<Client>();
  private readonly timer: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private readonly maxPerUser: number;
  /** Open (or opening) sockets per user. */
  private readonly perUser = new Map<string, number>();

  constructor(private readonly o: EventSocketsOptions) {
    this.maxBuffered = o.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.maxPerUser = o.maxPerUser ?? 20;
    this.timer = setInterval(() => this.heartbeat(), o.heartbeatMs ?? 30_000);
    this.timer.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** True when the request is for this endpoint (so a server can route other upgrades elsewhere). */
  handles(req: IncomingMessage): boolean {
    return EVENTS_PATH.test(new URL(req.url ?? '/', 'http://x').pathname);
  }

  /** The server's `upgrade` listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    void this.upgrade(req, socket, head).catch((err: unknown) => {
      const status = toHttpError(err).status;
      if (status >= 500) this.o.log.error({ err, url: redactUrl(req.url) }, 'websocket upgrade failed');
      else this.o.log.info({ status, url: redactUrl(req.url) }, 'websocket upgrade refused');
      refuse(socket, err);
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = EVENTS_PATH.exec(url.pathname);
    if (!m) throw new NotFoundError(`No route for GET ${url.pathname}`);
    const queryToken = url.searchParams.get('token');
    const ip = this.o.clientIp?.(req) ?? req.socket.remoteAddress ?? 'unknown';
    const key = authThrottleKey(ip, req.headers.authorization ?? queryToken ?? undefined);
    await this.o.rateLimits.authGuard.check(key);
    let principal;
    try {
      const token = req.headers.authorization !== undefined || queryToken === null ? bearerToken(req.headers.authorization) : queryToken;
      principal = await this.o.authn.verify(token);
    } catch (err) {
      if (err instanceof AuthError) await this.o.rateLimits.authGuard.record(key);
      throw err;
    }
    const sessionId = parsePart(SessionId, decodeURIComponent(m[1]!), 'params');
    await ownedSession(this.o.rt, principal, sessionId);
    await this.o.rateLimits.consume('read', principal.userId);
    if (socket.destroyed) return;
    const userId = principal.userId;
    const open = this.perUser.get(userId) ?? 0;
    if (open >= this.maxPerUser) {
      throw new RateLimitError(`Too many event connections: at most ${this.maxPerUser} per user; close one first`, 5, { details: { limit: this.maxPerUser } });
    }
    // Counted from here (not from accept), so concurrent upgrades cannot both take the last place.
    this.perUser.set(userId, open + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const n = (this.perUser.get(userId) ?? 1) - 1;
      if (n <= 0) this.perUser.delete(userId);
      else this.perUser.set(userId, n);
    };
    socket.once('close', release);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.once('close', release);
      this.accept(ws, sessionId, userId, principal.expiresAtMs);
    });
  }

  private accept(ws: WebSocket, sessionId: string, userId: string, expiresAtMs: number | undefined): void {
    const client: Client = { ws, alive: true, unsubscribe: undefined, expiry: undefined };
    this.clients.add(client);
    if (expiresAtMs !== undefined) {
      // The socket lives only as long as its credential: closed (4401) when the JWT expires.
      const ms = Math.max(0, expiresAtMs - Date.now());
      if (ms <= MAX_TIMER_MS) {
        client.expiry = setTimeout(() => ws.close(TOKEN_EXPIRED_CLOSE_CODE, 'token expired'), ms);
        client.expiry.unref();
      }
    }
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('message', () => undefined); // clients have nothing to say; ignore
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(client.expiry);
      this.clients.delete(client);
      void client.unsubscribe?.();
      client.unsubscribe = undefined;
    });
    const send = (json: string) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > this.maxBuffered) {
        ws.close(1013, 'too slow');
        return;
      }
      ws.send(json);
    };
    this.o.hub
      .subscribe(sessionId, (json) => send(json))
      .then((unsubscribe) => {
        if (!this.clients.has(client)) return void unsubscribe();
        client.unsubscribe = unsubscribe;
        send(JSON.stringify({ type: 'subscribed', sessionId } satisfies SubscribedMessage));
        this.o.log.debug({ sessionId, userId }, 'websocket subscribed');
      })
      .catch((err: unknown) => {
        this.o.log.error({ err }, 'event subscription failed');
        ws.close(1011, 'subscription failed');
      });
  }

  private heartbeat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  /** Closes every socket (1001 going away) and stops the heartbeat. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const closing = [...this.clients].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === c.ws.CLOSED) return resolve();
          const t = setTimeout(() => {
            c.ws.terminate();
            resolve();
          }, 2000);
          c.ws.once('close', () => {
            clearTimeout(t);
            resolve();
          });
          c.ws.close(1001, 'server shutting down');
        }),
    );
    await Promise.all(closing);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
