import { WebSocket } from 'ws';
import { AuthError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../errors/index.js';
import type { ApiClient } from './client.js';

/** One event as the server sends it (see SessionEvent in src/runtime/events.ts). */
export type WireEvent = { type: string; [key: string]: unknown };

export interface EventStream {
  close(): void;
}

/**
 * Opens a session's event WebSocket and resolves once the server confirmed the subscription, so no
 * event published afterwards is missed. Refusals become the project's errors (401 → AuthError,
 * 404 → NotFoundError…).
 */
export function openEventStream(client: ApiClient, sessionId: string, onEvent: (e: WireEvent) => void, onClose?: () => void): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(client.eventsUrl(sessionId), { headers: { authorization: client.authHeader }, handshakeTimeout: 15_000 });
    let ready = false;
    const stream: EventStream = { close: () => ws.terminate() };
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
      onEvent(e);
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
        reject(status === 401 || status === 403 ? new AuthError(message) : status === 404 ? new NotFoundError(message) : status < 500 ? new ValidationError(message) : new ServiceUnavailableError(message));
      });
    });
    ws.on('error', (err) => {
      if (!ready) reject(new ServiceUnavailableError(`cannot open the event stream at ${client.url} (${(err as NodeJS.ErrnoException).code ?? err.message})`, { cause: err }));
    });
    ws.on('close', () => {
      if (ready) onClose?.();
    });
  });
}
