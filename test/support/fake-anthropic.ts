import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply of the fake Messages API. */
export type FakeReply =
  /** A tool_use block (optionally after a text block), stop_reason `tool_use`. */
  | { kind: 'tool_use'; name: string; input: Record<string, unknown>; text?: string }
  /** Several tool_use blocks in one reply (a compound request), in order, stop_reason `tool_use`. */
  | { kind: 'tool_uses'; calls: { name: string; input: Record<string, unknown> }[]; text?: string }
  /** A text-only reply, stop_reason `end_turn`. */
  | { kind: 'text'; text: string }
  /** An API error in the real shape (`{type:'error', error:{type, message}}`); 529 means overloaded. */
  | { kind: 'error'; status: number; errorType?: string; message?: string }
  /** Anything at all, e.g. a body that is not JSON. */
  | { kind: 'raw'; status: number; body: string; contentType?: string };

/** A request the fake received: headers (the API key's value replaced) and the parsed JSON body. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface FakeAnthropic {
  /** Base URL to hand to the SDK (`http://127.0.0.1:<port>`). */
  baseURL: string;
  /** Every request, in order. */
  requests: RecordedRequest[];
  /** Queues replies, answered in order; with the queue empty the fake answers 500. */
  enqueue(...replies: FakeReply[]): void;
  /** Replies not used yet. */
  pending(): number;
  /**
   * Answers from a function of the request body whenever the queue is empty (scripts for requests
   * that arrive in any order, e.g. many sessions at once). `undefined` from it → the 500 as before.
   */
  respondWith(fn: ((body: Record<string, unknown>) => FakeReply | undefined) | null): void;
  close(): Promise<void>;
}

const SECRET_HEADERS = new Set(['x-api-key', 'authorization']);

function messageBody(reply: Extract<FakeReply, { kind: 'tool_use' | 'tool_uses' | 'text' }>, model: string): Record<string, unknown> {
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const content: Record<string, unknown>[] = [];
  if (reply.kind === 'text') content.push({ type: 'text', text: reply.text });
  else {
    if (reply.text) content.push({ type: 'text', text: reply.text });
    const calls = reply.kind === 'tool_use' ? [{ name: reply.name, input: reply.input }] : reply.calls;
    for (const c of calls) content.push({ type: 'tool_use', id: `toolu_${randomBytes(8).toString('hex')}`, name: c.name, input: c.input });
  }
  return {
    id,
    type: 'message',
    role: 'assistant',
    content,
    model,
    stop_reason: reply.kind === 'text' ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 42, output_tokens: 17, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType, 'request-id': `req_${randomBytes(6).toString('hex')}` });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a fake Anthropic Messages API on 127.0.0.1 (a free port) that answers from a script. */
export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const queue: FakeReply[] = [];
  let responder: ((body: Record<string, unknown>) => FakeReply | undefined) | null = null;
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = { _unparsed: raw };
      }
      const headers: RecordedRequest['headers'] = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = SECRET_HEADERS.has(k) ? '[redacted]' : v;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers, body });
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        send(res, 404, JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not found' } }));
        return;
      }
      const reply = queue.shift() ?? responder?.(body);
      if (!reply) {
        send(res, 500, JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'fake: no scripted reply' } }));
        return;
      }
      const model = typeof body.model === 'string' ? body.model : 'unknown-model';
      switch (reply.kind) {
        case 'tool_use':
        case 'tool_uses':
        case 'text':
          send(res, 200, JSON.stringify(messageBody(reply, model)));
          return;
        case 'error': {
          const errorType = reply.errorType ?? (reply.status === 529 ? 'overloaded_error' : reply.status === 429 ? 'rate_limit_error' : 'api_error');
          send(res, reply.status, JSON.stringify({ type: 'error', error: { type: errorType, message: reply.message ?? errorType } }));
          return;
        }
        case 'raw':
          send(res, reply.status, reply.body, reply.contentType);
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    pending: () => queue.length,
    respondWith: (fn) => {
      responder = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
