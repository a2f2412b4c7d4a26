import { Readable } from 'node:stream';
import {
  AppError,
  AuthError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  ValidationError,
} from '../../errors/index.js';

export interface ClientOptions {
  /** Server base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Bearer token (API key or JWT). */
  token: string;
  /** Per-request timeout for JSON calls, in ms. Default 30000. */
  timeoutMs?: number;
}

interface ErrorShape {
  error?: { code?: unknown; message?: unknown };
}

/** Turns an HTTP error answer into the project's error classes (the CLI maps those to exit codes). */
function errorFor(status: number, body: ErrorShape | undefined, what: string): Error {
  const message = typeof body?.error?.message === 'string' ? body.error.message : `${what}: HTTP ${status}`;
  if (status === 401) return new AuthError(message);
  if (status === 403) return new ForbiddenError(message);
  if (status === 404) return new NotFoundError(message);
  if (status === 409) return new ConflictError(message);
  if (status === 413) return new PayloadTooLargeError(message);
  if (status >= 500) return new ServiceUnavailableError(`server error: ${message}`);
  if (status === 429) return new AppError('rate_limited', message);
  return new ValidationError(message);
}

/**
 * A thin client of the DataOps REST API on Node's global fetch. Every failure is one of the
 * project's error classes; a connection failure is ServiceUnavailableError naming the URL.
 */
export class ApiClient {
  readonly url: string;
  private readonly token: string;
  private readonly timeoutMs: number;

  constructor(options: ClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The WebSocket URL of a session's events. */
  eventsUrl(sessionId: string): string {
    return `${this.url.replace(/^http/, 'ws')}/v1/sessions/${encodeURIComponent(sessionId)}/events`;
  }

  get authHeader(): string {
    return `Bearer ${this.token}`;
  }

  private async send(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; timeout?: boolean }): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, {
        method,
        headers: { authorization: this.authHeader, ...init.headers },
        ...(init.body !== undefined ? { body: init.body as never, duplex: 'half' } : {}),
        ...(init.timeout === false ? {} : { signal: AbortSignal.timeout(this.timeoutMs) }),
      } as RequestInit);
    } catch (cause) {
      const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
      const reason = inner?.code ?? inner?.message ?? (cause as Error).message;
      throw new ServiceUnavailableError(`cannot reach the server at ${this.url} (${reason})`, { cause });
    }
  }

  private static async fail(res: Response, what: string): Promise<never> {
    let body: ErrorShape | undefined;
    try {
      body = (await res.json()) as ErrorShape;
    } catch {
      body = undefined;
    }
    throw errorFor(res.status, body, what);
  }

  /** A JSON call; resolves with the parsed answer (undefined for 204). */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    if (!res.ok) return ApiClient.fail(res, `${method} ${path}`);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** Streams `body` (with its length and type) to an upload route; resolves with the JSON answer. */
  async upload<T>(path: string, body: Readable, size: number, contentType: string): Promise<T> {
    const res = await this.send('POST', path, {
      body: Readable.toWeb(body),
      headers: { 'content-type': contentType, 'content-length': String(size) },
      timeout: false,
    });
    if (!res.ok) return ApiClient.fail(res, `upload ${path}`);
    return (await res.json()) as T;
  }

  /** A streamed download: the response, already checked. */
  async download(path: string): Promise<Response> {
    const res = await this.send('GET', path, { timeout: false });
    if (!res.ok) return ApiClient.fail(res, `GET ${path}`);
    return res;
  }
}
