import { WebSocket } from 'ws';
import { AuthError } from '../../errors/auth-error.js';
import { NotFoundError } from '../../errors/not-found-error.js';
import { ServiceUnavailableError } from '../../errors/service-unavailable-error.js';
import { UnreachableError } from '../../errors/unreachable-error.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { Transport } from './transport.js';

/** One event as the server sends it (the SessionEvent union of src/runtime/events.ts). */
export type WireEvent = { type: string; [key: string]: unknown };

/** A session's live events (the `/v1/sessions/:id/events` WebSocket), open and subscribed. */
export interface EventStream {
  /** Adds a listener; returns its remover. */
  subscribe(listener: (e: WireEvent) => void): () => void;
  /** Called once when the socket closes for any reason other than `close()` (the server went away). */
  onClose(listener: () => void): void;
  /** True once the socket closed (either side). */
  readonly closed: boolean;
  close(): void;
}

/**
 * Opens a session's event WebSocket and resolves once the server confirmed the subscription, so no
 * event published afterwards is missed. Refusals become the project's errors (401 → AuthError,
 * 404 → NotFoundError…); a server that does not answer is an UnreachableError.
 */
export function openEventStream(t: Transport, sessionId: string, handshakeTimeoutMs = 15_000): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const url = `${t.baseUrl.replace(/^http/, 'ws')}/v1/sessions/${encodeURIComponent(sessionId)}/events`;
    const ws = new WebSocket(url, { headers: { authorization: t.authorization }, handshakeTimeout: handshakeTimeoutMs });
    const listeners = new Set<(e: WireEvent) => void>();
    const closers: (() => void)[] = [];
    let ready = false;
    let closed = false;
    let closedByUs = false;
    const stream: EventStream = {
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      onClose: (l) => void closers.push(l),
      get closed() {
        return closed;
      },
      close: () => {
        closedByUs = true;
        ws.terminate();
      },
    };
    ws.on('message', (data) => {
      let e: WireEvent;
      try {
        e = JSON.parse(String(data)) as WireEvent;
      } catch {
        return;
      }
      if (e.type === 'subscribed') {
        ready = true;
        resolve(stream);
        return;
      }
      for (const l of [...listeners]) l(e);
    });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        let message = `event stream refused: HTTP ${res.statusCode}`;
        try {
          const m = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
          if (typeof m === 'string') message = m;
        } catch {
          // keep the generic message
        }
        const status = res.statusCode ?? 0;
        reject(
          status === 401 || status === 403
            ? new AuthError(message)
            : status === 404
              ? new NotFoundError(message)
              : status < 500
                ? new ValidationError(message)
                : new ServiceUnavailableError(message),
        );
      });
    });
    ws.on('error', (err) => {
      if (!ready) reject(new UnreachableError(`cannot open the event stream at ${t.baseUrl} (${(err as NodeJS.ErrnoException).code ?? err.message})`, { cause: err }));
    });
    ws.on('close', () => {
      closed = true;
      if (ready && !closedByUs) for (const l of closers.splice(0)) l();
    });
  });
}
