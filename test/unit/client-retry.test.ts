import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../../src/client/http/api-errors.js';
import { resolveRetry, retryAfterMs, retryDelayMs } from '../../src/client/http/retry.js';
import { AuthError, CycleError, NotFoundError, RateLimitError, ServiceUnavailableError, ValidationError } from '../../src/errors/index.js';

describe('client retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('waits what the server asks, gives up on a wait past the cap, else backs off exponentially', () => {
    const o = resolveRetry({ baseDelayMs: 100, maxDelayMs: 5000 });
    expect(retryDelayMs(1, 2000, o)).toBe(2000);
    expect(retryDelayMs(1, 60_000, o)).toBeUndefined();
    expect(retryDelayMs(1, undefined, o, () => 0)).toBe(50);
    expect(retryDelayMs(3, undefined, o, () => 1)).toBe(400);
    expect(retryDelayMs(20, undefined, o, () => 1)).toBe(5000);
  });
});

describe('client errors', () => {
  const h = (o: Record<string, string> = {}) => new Headers(o);
  const body = (code: string, message = 'm') => ({ error: { code, message, details: { x: 1 } } });

  it('picks the project error class from the API error code, keeping message and details', () => {
    const nf = errorFromResponse(404, body('not_found', 'session s not found'), h(), 'GET /x');
    expect(nf).toBeInstanceOf(NotFoundError);
    expect(nf.message).toBe('session s not found');
    expect(nf.details).toEqual({ x: 1 });
    expect(errorFromResponse(400, body('cycle'), h(), 'x')).toBeInstanceOf(CycleError);
    expect(errorFromResponse(401, body('unauthorized'), h(), 'x')).toBeInstanceOf(AuthError);
    const rl = errorFromResponse(429, body('rate_limited'), h({ 'retry-after': '7' }), 'x');
    expect(rl).toBeInstanceOf(RateLimitError);
    expect((rl as RateLimitError).retryAfterSeconds).toBe(7);
  });

  it('falls back on the status when the body is not the API’s', () => {
    expect(errorFromResponse(503, undefined, h(), 'GET /x')).toBeInstanceOf(ServiceUnavailableError);
    const v = errorFromResponse(422, 'nope', h(), 'GET /x');
    expect(v).toBeInstanceOf(ValidationError);
    expect(v.message).toBe('GET /x: HTTP 422');
  });
});
