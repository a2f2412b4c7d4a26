import { randomUUID } from 'node:crypto';
import { UnreachableError } from '../../errors/unreachable-error.js';
import { errorFromResponse } from './api-errors.js';
import { RETRY_STATUSES, resolveRetry, retryAfterMs, retryDelayMs, sleep, type ResolvedRetry, type RetryOptions } from './retry.js';

/** A request body fetch accepts. */
export type RequestBody = NonNullable<RequestInit['body']>;

export interface TransportOptions {
  /** Server base URL, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Bearer token: an API key or a JWT. */
  token: string;
  /** Per-attempt timeout of JSON calls, in ms (streams are not timed). Default 30000. */
  timeoutMs?: number;
  /** Retries on 429/503 and on connection failures of requests that are safe to repeat. */
  retry?: RetryOptions;
  /** The fetch to use. Default: Node's global fetch. */
  fetch?: typeof fetch;
}

/** One request; `body` is a factory so a retry can send the body again (undefined: not repeatable). */
export interface SendInit {
  method: string;
  headers?: Record<string, string>;
  /** Makes the body of one attempt. Omit for no body. */
  body?: () => RequestBody;
  /** False when the body is a one-shot stream: the request is then never repeated. Default true. */
  replayable?: boolean;
  /** Apply the per-attempt timeout. Default true. */
  timeout?: boolean;
  /** What to call the request in error messages. Default `METHOD path`. */
  what?: string;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * Sends requests with the bearer token, an `Idempotency-Key` on every POST (made once, so every
 * retry of the request carries the same key and the server does the work once), retries with backoff
 * on 429/503 honouring Retry-After (and on connection failures when repeating is safe), and turns
 * every error answer into the project's error class. A server nobody answers for is an UnreachableError.
 */
export class Transport {
  readonly baseUrl: string;
  readonly token: string;
  private readonly timeoutMs: number;
  private readonly retry: ResolvedRetry;
  private readonly fetchImpl: typeof fetch;

  constructor(o: TransportOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.token = o.token;
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.retry = resolveRetry(o.retry);
    this.fetchImpl = o.fetch ?? fetch;
  }

  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  /** `path` (starting with `/`) or a full URL → a full URL. */
  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
  }

  /** Sends and retries; resolves with a 2xx response, else throws the matching error. */
  async send(path: string, init: SendInit): Promise<Response> {
    const method = init.method.toUpperCase();
    const headers: Record<string, string> = { authorization: this.authorization, ...lowerKeys(init.headers ?? {}) };
    if (method === 'POST') headers[IDEMPOTENCY_HEADER] ??= randomUUID();
    const repeatable = init.replayable !== false && (SAFE.has(method) || headers[IDEMPOTENCY_HEADER] !== undefined);
    const what = init.what ?? `${method} ${path.replace(/\?.*$/, '')}`;
    const url = this.url(path);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.attempts || init.replayable === false;
      let res: Response;
      try {
        res = await this.fetchImpl(url, {
          method,
          headers,
          ...(init.body ? { body: init.body(), duplex: 'half' } : {}),
          ...(init.timeout === false ? {} : { signal: AbortSignal.timeout(this.timeoutMs) }),
        } as RequestInit);
      } catch (cause) {
        if (!last && repeatable) {
          await sleep(retryDelayMs(attempt, undefined, this.retry) ?? 0);
          continue;
        }
        throw new UnreachableError(`cannot reach the server at ${this.baseUrl} (${reasonOf(cause)})`, { cause });
      }
      if (res.ok) return res;
      if (!last && RETRY_STATUSES.has(res.status)) {
        const wait = retryDelayMs(attempt, retryAfterMs(res.headers.get('retry-after')), this.retry);
        if (wait !== undefined) {
          await res.body?.cancel().catch(() => undefined);
          await sleep(wait);
          continue;
        }
      }
      throw errorFromResponse(res.status, await readJson(res), res.headers, what);
    }
  }

  /** A JSON call: the parsed answer (undefined for 204). */
  async json<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const res = await this.send(path, {
      method,
      headers: text === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(text === undefined ? {} : { body: () => text }),
    });
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /**
   * The `fetch` openapi-fetch calls: the typed request goes through `send` (so it gets the same
   * auth, idempotency key, retries and errors). Its bodies are JSON text, so they can be sent again.
   */
  readonly fetchForOpenApi = async (request: Request): Promise<Response> => {
    const text = request.body ? await request.text() : undefined;
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    return this.send(request.url, { method: request.method, headers, ...(text === undefined ? {} : { body: () => text }), what: `${request.method} ${new URL(request.url).pathname}` });
  };
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/** `ECONNREFUSED`, `timeout`… from a fetch failure (undici puts the system error in `cause`). */
function reasonOf(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timed out';
  const inner = (err as { cause?: { code?: string; message?: string } }).cause;
  return inner?.code ?? inner?.message ?? (err as Error).message;
}
