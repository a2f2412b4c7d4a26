import { describe, expect, it } from 'vitest';
import { toHttpError } from '../../producers/error-handler.js';
import { ServiceUnavailableError } from '../../src/errors/index.js';
import { isDependencyFailure } from '../../src/infra/dependency-failure.js';

const aws = (name: string, status?: number) => Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

describe('dependency failures', () => {
  it('recognises Redis, DynamoDB and S3 outages, also wrapped in a cause or an AggregateError', () => {
    for (const err of [
      new Error('Command timed out'),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      new Error('Connection is closed.'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      aws('TimeoutError'),
      aws('ProvisionedThroughputExceededException', 400),
      aws('InternalError', 500),
      aws('SlowDown', 503),
      new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'all failed'),
    ]) {
      expect(isDependencyFailure(err), String((err as Error).message)).toBe(true);
    }
  });

  it('does not take bugs or client mistakes for outages', () => {
    for (const err of [new TypeError('x is undefined'), aws('ValidationException', 400), aws('ConditionalCheckFailedException', 400), aws('NoSuchKey', 404), 'a string', null]) {
      expect(isDependencyFailure(err)).toBe(false);
    }
  });

  it('maps an outage to 503 with Retry-After, a framework 4xx to that 4xx, and a bad URL to 400', () => {
    const down = toHttpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'r1', { retryAfterSeconds: 9 });
    expect(down.status).toBe(503);
    expect(down.headers['Retry-After']).toBe('9');
    expect(down.body.error.code).toBe('service_unavailable');
    expect(toHttpError(new ServiceUnavailableError('down')).headers['Retry-After']).toBe('5');
    expect(toHttpError(new URIError('URI malformed')).status).toBe(400);
    expect(toHttpError(Object.assign(new Error('Failed to decode param'), { status: 400 })).status).toBe(400);
    expect(toHttpError(Object.assign(new Error('incorrect header check'), { status: 400, code: 'Z_DATA_ERROR', errno: -3 })).body.error.message).toMatch(
      /Content-Encoding/,
    );
    expect(toHttpError(new TypeError('bug')).status).toBe(500);
  });
});
