import { describe, expect, it } from 'vitest';
import {
  AppError,
  AuthError,
  ConfigError,
  ConflictError,
  CycleError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  ValidationError,
} from '../../src/errors/index.js';
import { toHttpError } from '../../producers/error-handler.js';
import { RateLimitError, UnsupportedMediaTypeError } from '../../producers/http-errors.js';
import { redactUrl } from '../../producers/request-id.js';
import { contentDisposition } from '../../producers/upload.js';
import { artifactIdsIn } from '../../producers/ownership.js';

describe('toHttpError', () => {
  it('maps each error class to its status and keeps code, message and details', () => {
    const cases: [unknown, number, string][] = [
      [new ValidationError('bad', { details: [{ path: ['x'] }] }), 400, 'validation_error'],
      [new CycleError('loop'), 400, 'cycle'],
      [new AuthError('who'), 401, 'unauthorized'],
      [new ForbiddenError('no'), 403, 'forbidden'],
      [new NotFoundError('gone'), 404, 'not_found'],
      [new ConflictError('race'), 409, 'conflict'],
      [new PayloadTooLargeError('big'), 413, 'payload_too_large'],
      [new UnsupportedMediaTypeError('type'), 415, 'unsupported_media_type'],
      [new RateLimitError('slow down', 7), 429, 'rate_limited'],
      [new ServiceUnavailableError('down'), 503, 'service_unavailable'],
    ];
    for (const [err, status, code] of cases) {
      const h = toHttpError(err);
      expect(h.status).toBe(status);
      expect(h.body.error.code).toBe(code);
      expect(h.body.error.message).toBe((err as Error).message);
    }
    expect(toHttpError(new ValidationError('bad', { details: [{ path: ['x'] }] })).body.error.details).toEqual([{ path: ['x'] }]);
    expect(toHttpError(new RateLimitError('slow', 7)).headers['Retry-After']).toBe('7');
    expect(toHttpError(new AuthError('x')).headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('hides internals of unexpected errors and of config errors', () => {
    for (const err of [new Error('password=hunter2 at db.internal:5432'), new ConfigError('secret path'), new AppError('weird', 'x'), 'a string']) {
      const h = toHttpError(err, 'req-1');
      expect(h.status).toBe(500);
      expect(h.body).toEqual({ error: { code: 'internal_error', message: 'Internal server error', details: { requestId: 'req-1' } } });
    }
  });

  it('maps body-parser errors', () => {
    expect(toHttpError({ type: 'entity.too.large', status: 413 }).status).toBe(413);
    expect(toHttpError({ type: 'entity.parse.failed', status: 400 }).body.error.code).toBe('validation_error');
    expect(toHttpError({ type: 'charset.unsupported', status: 415 }).status).toBe(415);
  });
});

describe('small helpers', () => {
  it('blanks tokens in logged URLs', () => {
    expect(redactUrl('/v1/sessions/s/events?token=abc.def&x=1')).toBe('/v1/sessions/s/events?token=[redacted]&x=1');
    expect(redactUrl('/a?x=1&access_token=zzz')).toBe('/a?x=1&access_token=[redacted]');
  });
  it('builds a Content-Disposition with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('jobs.jil')).toBe(`attachment; filename="jobs.jil"; filename*=UTF-8''jobs.jil`);
    const d = contentDisposition('résumé "q".csv');
    expect(d).toContain('filename="r_sum_ _q_.csv"');
    expect(d).toContain("filename*=UTF-8''r%C3%A9sum%C3%A9%20%22q%22.csv");
  });
  it('finds artifact ids anywhere in run params', () => {
    const a = 'art_12345678-1234-4234-8234-123456789012';
    const b = 'art_22345678-1234-4234-8234-123456789012';
    const ids = artifactIdsIn({ workflow: 'x', params: { file: a, nested: [{ deep: b }, 'art_not-an-id'] } });
    expect([...ids].sort()).toEqual([a, b]);
  });
});
