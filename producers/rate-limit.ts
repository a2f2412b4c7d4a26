import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { RedisClient } from '../src/infra/redis.js';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ServiceUnavailableError } from '../src/errors/service-unavailable-error.js';
import type { AuthFailureGuard } from './auth.js';
import { RateLimitError } from './http-errors.js';

/** Buckets of routes that are limited separately, so uploads cannot starve reads. */
export const ROUTE_CLASSES = ['read', 'write', 'upload', 'message'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

export interface RateLimitOptions {
  redis: RedisClient;
  /** Prefix of the Redis keys (`<keyPrefix>rl:<class>:<userId>`), e.g. `services.keyPrefix`. */
  keyPrefix: string;
  /** Requests per minute per user and route class (`DATAOPS_RATE_LIMIT_PER_MINUTE`). */
  perMinute: number;
  /** Failed authentications per minute per client IP and presented credential before it is refused. Default 60. */
  authFailuresPerMinute?: number;
}

/**
 * The key the failed-authentication throttle counts under: the client IP plus a fingerprint of the
 * credential it presented (`none` when it sent none). A client that keeps sending a bad token is
 * refused, while another user behind the same address (a load balancer, an office NAT) whose token
 * is different, and valid, still gets in.
 */
export function authThrottleKey(ip: string, credential: string | undefined): string {
  const fp = credential ? createHash('sha256').update(credential, 'utf8').digest('base64url').slice(0, 22) : 'none';
  return `${ip}|${fp}`;
}

const retryAfter = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Fixed-window limits kept in Redis (`INCR` + `PEXPIRE` in one atomic step), so they hold across
 * API instances and are exact: with limit N, exactly N requests pass in a window and the next get
 * 429 with `Retry-After`.
 */
export class RateLimits {
  private readonly limiters: Record<RouteClass, RateLimiterRedis>;
  private readonly authFailures: RateLimiterRedis;
  readonly perMinute: number;

  constructor(options: RateLimitOptions) {
    this.perMinute = options.perMinute;
    const make = (name: string, points: number) =>
      new RateLimiterRedis({ storeClient: options.redis, keyPrefix: `${options.keyPrefix}rl:${name}`, points, duration: 60 });
    this.limiters = {
      read: make('read', options.perMinute),
      write: make('write', options.perMinute),
      upload: make('upload', options.perMinute),
      message: make('message', options.perMinute),
    };
    this.authFailures = make('authfail', options.authFailuresPerMinute ?? 60);
  }

  /** Takes one request from the user's budget for `routeClass`; throws RateLimitError when spent. */
  async consume(routeClass: RouteClass, userId: string): Promise<RateLimiterRes> {
    try {
      return await this.limiters[routeClass].consume(userId, 1);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        throw new RateLimitError(
          `Rate limit of ${this.perMinute} ${routeClass} requests per minute reached; retry in ${retryAfter(err.msBeforeNext)} s`,
          retryAfter(err.msBeforeNext),
          { details: { routeClass, limit: this.perMinute } },
        );
      }
      throw new ServiceUnavailableError('Rate limiter unavailable', { cause: err });
    }
  }

  /** Middleware (after authentication) for one route class; sets `RateLimit-*` headers. */
  middleware(routeClass: RouteClass): RequestHandler {
    return async (req, res, next) => {
      const userId = req.principal?.userId;
      if (!userId) throw new ServiceUnavailableError('rate limit applied before authentication');
      const r = await this.consume(routeClass, userId);
      res.setHeader('RateLimit-Limit', String(this.perMinute));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, r.remainingPoints)));
      res.setHeader('RateLimit-Reset', String(retryAfter(r.msBeforeNext)));
      next();
    };
  }

  /** Throttles clients that keep presenting bad credentials (keyed by `authThrottleKey`). */
  readonly authGuard: AuthFailureGuard = {
    check: async (key) => {
      let r: RateLimiterRes | null;
      try {
        r = await this.authFailures.get(key);
      } catch (err) {
        throw new ServiceUnavailableError('Rate limiter unavailable', { cause: err });
      }
      if (r && r.remainingPoints <= 0) {
        throw new RateLimitError('Too many failed authentication attempts', retryAfter(r.msBeforeNext));
      }
    },
    record: async (key) => {
      await this.authFailures.penalty(key, 1).catch(() => undefined);
    },
  };
}
