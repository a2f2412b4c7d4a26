import * as E from './error-classes.js';
import { retryAfterMs } from './retry.js';

/** The `code` of every error body the API sends (`{ error: { code, message, details } }`). */
export const API_ERROR_CODES = [
  'validation_error',
  'bad_request',
  'request_aborted',
  'cycle',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

type Make = (message: string, options: { details: unknown }, retryAfterSeconds: number) => E.AppError;

const BY_CODE: Record<ApiErrorCode, Make> = {
  validation_error: (m, o) => new E.ValidationError(m, o),
  bad_request: (m, o) => new E.ValidationError(m, o),
  request_aborted: (m, o) => new E.ValidationError(m, o),
  cycle: (m, o) => new E.CycleError(m, o),
  unauthorized: (m, o) => new E.AuthError(m, o),
  forbidden: (m, o) => new E.ForbiddenError(m, o),
  not_found: (m, o) => new E.NotFoundError(m, o),
  conflict: (m, o) => new E.ConflictError(m, o),
  payload_too_large: (m, o) => new E.PayloadTooLargeError(m, o),
  unsupported_media_type: (m, o) => new E.UnsupportedMediaTypeError(m, o),
  rate_limited: (m, o, s) => new E.RateLimitError(m, s, o),
  service_unavailable: (m, o) => new E.ServiceUnavailableError(m, o),
  internal_error: (m, o) => new E.InternalError(m, o),
};

const BY_STATUS: Record<number, ApiErrorCode> = {
  400: 'validation_error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

const isCode = (c: unknown): c is ApiErrorCode => typeof c === 'string' && (API_ERROR_CODES as readonly string[]).includes(c);

/**
 * The project's error class for an API error answer, chosen by the body's `code` (by the status when
 * the body is not the API's): the same classes the server threw, so `err instanceof NotFoundError`
 * works the same through the HTTP client and the in-network producer. `details` is the server's.
 */
export function errorFromResponse(status: number, body: unknown, headers: Headers, what: string): E.AppError {
  const e = (body as ErrorBody | undefined)?.error;
  const message = typeof e?.message === 'string' ? e.message : `${what}: HTTP ${status}`;
  const code: ApiErrorCode = isCode(e?.code) ? e.code : (BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'validation_error'));
  const retryAfterSeconds = Math.ceil((retryAfterMs(headers.get('retry-after')) ?? 1000) / 1000);
  return BY_CODE[code](message, { details: e?.details ?? null }, retryAfterSeconds);
}
