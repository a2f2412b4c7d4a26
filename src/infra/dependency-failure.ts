/**
 * Recognises a failure of Redis, DynamoDB or S3 (down, unreachable, timed out, overloaded), as
 * opposed to a bug. The API answers these with 503 + Retry-After instead of 500.
 */

/** Socket-level error codes of a dependency that is down or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** AWS SDK error names that mean "the service could not answer now". */
const AWS_UNAVAILABLE = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Messages of ioredis / BullMQ when Redis is gone or too slow (or refuses writes: OOM, LOADING). */
const REDIS_UNAVAILABLE =
  /^(Command timed out|Connection is closed|Stream isn't writeable|Reached the max retries per request limit|connect ECONNREFUSED|read ECONNRESET|OOM command not allowed|LOADING |MASTERDOWN|CLUSTERDOWN|TRYAGAIN)/;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** True when `err` (or its cause chain, or an AggregateError member) is a dependency outage. */
export function isDependencyFailure(err: unknown, depth = 0): boolean {
  if (depth > 4 || typeof err !== 'object' || err === null) return false;
  const e = err as ErrorLike;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && (AWS_UNAVAILABLE.has(e.name) || e.name === 'MaxRetriesPerRequestError')) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  if (typeof e.message === 'string' && REDIS_UNAVAILABLE.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDependencyFailure(x, depth + 1))) return true;
  return isDependencyFailure(e.cause, depth + 1);
}
