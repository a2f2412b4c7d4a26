import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import {
  AppError,
  AuthError,
  ConflictError,
  CycleError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  ValidationError,
} from '../src/errors/index.js';
import { isDependencyFailure } from '../src/infra/dependency-failure.js';
import { RateLimitError, UnsupportedMediaTypeError } from './http-errors.js';

/** The one error shape every API error has. */
export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

export interface HttpError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/** body-parser / raw-body errors carry `type` and `status`. */
interface ParserError {
  type: string;
  status: number;
  /** The body parser's limit, in bytes (`entity.too.large`). */
  limit?: number;
}

function isParserError(err: unknown): err is ParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { type?: unknown }).type === 'string' &&
    typeof (err as { status?: unknown }).status === 'number'
  );
}

/** A 4xx status carried by a framework error (router URIError, raw-body, http-errors). */
function clientStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  return status !== undefined && status >= 400 && status < 500 ? status : undefined;
}

const body = (code: string, message: string, details: unknown = null): ErrorBody => ({ error: { code, message, details } });

export interface HttpErrorOptions {
  /** `Retry-After` of a 503, in seconds (DATAOPS_RETRY_AFTER_SECONDS). Default 5. */
  retryAfterSeconds?: number;
}

/**
 * Maps any thrown value to an HTTP status, headers and the error body. The ONLY place that knows
 * which error means which status. A dependency that is down (Redis, DynamoDB, S3) is a 503 with
 * `Retry-After`; a client error from the framework (bad percent-encoding, a body that does not
 * decode) keeps its 4xx; other unknown errors become a 500 that says nothing about internals.
 */
export function toHttpError(err: unknown, requestId?: string, options: HttpErrorOptions = {}): HttpError {
  const headers: Record<string, string> = {};
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  if (err instanceof AppError) {
    const details = err.details ?? null;
    let status = 500;
    if (err instanceof ValidationError) status = 400;
    else if (err instanceof CycleError) status = 400;
    else if (err instanceof AuthError) {
      status = 401;
      headers['WWW-Authenticate'] = 'Bearer';
    } else if (err instanceof ForbiddenError) status = 403;
    else if (err instanceof NotFoundError) status = 404;
    else if (err instanceof ConflictError) status = 409;
    else if (err instanceof PayloadTooLargeError) status = 413;
    else if (err instanceof UnsupportedMediaTypeError) status = 415;
    else if (err instanceof RateLimitError) {
      status = 429;
      headers['Retry-After'] = String(err.retryAfterSeconds);
    } else if (err instanceof ServiceUnavailableError) {
      status = 503;
      headers['Retry-After'] = retryAfter;
    }
    if (status === 500 && isDependencyFailure(err)) return unavailable(headers, retryAfter);
    if (status === 500) return { status, headers, body: body('internal_error', 'Internal server error', requestId ? { requestId } : null) };
    return { status, headers, body: body(err.code, err.message, details) };
  }
  if (isParserError(err)) {
    switch (err.type) {
      case 'entity.too.large':
        return {
          status: 413,
          headers,
          body: body(
            'payload_too_large',
            typeof err.limit === 'number'
              ? `The request body is larger than the limit of ${err.limit} bytes (upload files with POST /v1/sessions/:id/artifacts, which streams them)`
              : 'The request body is larger than the limit',
          ),
        };
      case 'entity.parse.failed':
        return { status: 400, headers, body: body('validation_error', 'The request body is not valid JSON') };
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return { status: 415, headers, body: body('unsupported_media_type', 'Unsupported body encoding or charset') };
      case 'request.aborted':
        return { status: 400, headers, body: body('request_aborted', 'The client aborted the request') };
      case 'stream.encoding.set':
      case 'stream.not.readable':
        return { status: 400, headers, body: body('bad_request', 'The request body could not be read') };
      default:
        break;
    }
  }
  if (isDependencyFailure(err)) return unavailable(headers, retryAfter);
  if (err instanceof URIError) return { status: 400, headers, body: body('bad_request', 'Malformed percent-encoding in the URL') };
  const status = clientStatus(err);
  if (status === 400 && isZlibError(err)) {
    return { status, headers, body: body('bad_request', 'The request body does not decode with its Content-Encoding') };
  }
  if (status !== undefined) return { status, headers, body: body(status === 400 ? 'bad_request' : 'client_error', (err as Error).message || 'Bad request') };
  if (isZlibError(err)) return { status: 400, headers, body: body('bad_request', 'The request body does not decode with its Content-Encoding') };
  return { status: 500, headers, body: body('internal_error', 'Internal server error', requestId ? { requestId } : null) };
}

function unavailable(headers: Record<string, string>, retryAfter: string): HttpError {
  headers['Retry-After'] = retryAfter;
  return { status: 503, headers, body: body('service_unavailable', 'A storage or queue service is unavailable; retry later') };
}

/** zlib errors (a gzip/deflate/br body that does not decode) carry a `Z_…` / `ERR_…` code and a numeric errno. */
function isZlibError(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown } | null;
  return typeof e?.code === 'string' && typeof e.errno === 'number' && /^(Z_|ERR_)/.test(e.code);
}

/** Writes an error response (used by the Express error handler and by the upgrade path). */
export function sendError(res: Response, err: unknown, options: HttpErrorOptions = {}): void {
  const requestId = typeof res.req?.id === 'string' ? res.req.id : undefined;
  const http = toHttpError(err, requestId, options);
  if (http.status >= 500) (res as Response & { err?: Error }).err = err instanceof Error ? err : new Error(String(err));
  if (res.headersSent) {
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  for (const [k, v] of Object.entries(http.headers)) res.setHeader(k, v);
  res.status(http.status).json(http.body);
}

/** The Express error middleware: every route's error ends here (pino-http logs 5xx with the error). */
export function errorHandler(options: HttpErrorOptions = {}): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    sendError(res, err, options);
  };
}

/** 404 in the error shape for routes nobody defined. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No route for ${req.method} ${req.path}`));
};
