import type { RequestHandler } from 'express';
import type { RedisClient } from '../src/infra/redis.js';
import { ServiceUnavailableError } from '../src/errors/service-unavailable-error.js';
import { UnsupportedMediaTypeError } from './http-errors.js';

/**
 * Answers 503 at once while the API's Redis connection is not ready (an outage, a reconnect), so
 * no request waits on a dependency that is known to be down. Requests that started before the
 * outage are bounded by the connections' command timeouts instead. ioredis reconnects by itself;
 * requests pass again as soon as it is ready.
 */
export function dependencyGate(redis: RedisClient): RequestHandler {
  return (_req, _res, next) => {
    if (redis.status !== 'ready') {
      next(new ServiceUnavailableError('Redis is unavailable; retry later'));
      return;
    }
    next();
  };
}

/**
 * Uploads are stored byte for byte, so a body with a Content-Encoding other than `identity` is
 * refused (415) instead of being stored still encoded or failing half-way.
 */
export const identityEncodingOnly: RequestHandler = (req, _res, next) => {
  const enc = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (enc !== '' && enc !== 'identity') {
    next(new UnsupportedMediaTypeError(`Uploads take no Content-Encoding (got "${enc.slice(0, 40)}"): send the file as it is`));
    return;
  }
  next();
};
