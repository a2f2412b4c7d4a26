import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A caller's `x-request-id` is kept when it is short and plain; otherwise a fresh UUID. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** pino-http `genReqId`: reuses or makes the request id and echoes it as `x-request-id`. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** A URL with `token=` query values blanked (the WebSocket accepts a token in the query). */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1[redacted]');
}
