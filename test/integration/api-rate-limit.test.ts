import { deleteByPattern } from '../../src/infra/redis.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../producers/server.js';
import { createLogger } from '../../src/logger.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

const N = 5;
let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ env: { DATAOPS_RATE_LIMIT_PER_MINUTE: String(N) } });
});
afterAll(async () => h?.cleanup());

describe(`rate limit (N=${N} per user, per route class, in Redis)`, () => {
  it('exactly N concurrent requests succeed, every other one gets 429 with Retry-After and the error shape', async () => {
    const results = await Promise.all(Array.from({ length: 3 * N }, () => h.call('GET', '/v1/sessions', { token: KEYS.alice })));
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(N);
    expect(limited).toHaveLength(2 * N);
    for (const r of limited) {
      const retry = Number(r.headers.get('retry-after'));
      expect(Number.isInteger(retry)).toBe(true);
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(60);
      expect(r.body.error.code).toBe('rate_limited');
    }
    expect(ok.map((r) => Number(r.headers.get('ratelimit-remaining'))).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('other route classes and other users have their own budgets', async () => {
    // alice's read budget is spent (previous test); her write budget is not
    const writes = [];
    for (let i = 0; i < N + 1; i++) writes.push((await h.call('POST', '/v1/sessions', { token: KEYS.bob, json: {} })).status);
    expect(writes).toEqual([...Array(N).fill(201), 429]);
    expect((await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).status).toBe(201);
    expect((await h.call('GET', '/v1/sessions', { token: KEYS.bob })).status).toBe(200);
    expect((await h.call('GET', '/v1/sessions', { token: KEYS.alice })).status).toBe(429);
  });

  it('holds across two API instances sharing Redis', async () => {
    const second = await startServer(h.rt, { log: createLogger('silent'), port: 0, host: '127.0.0.1', drainMs: 500 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < N + 2; i++) {
        const base = i % 2 === 0 ? h.url : second.url;
        statuses.push((await fetch(`${base}/v1/workflows`, { headers: { authorization: `Bearer ${KEYS.admin}` } })).status);
      }
      expect(statuses.filter((x) => x === 200)).toHaveLength(N);
      expect(statuses.slice(N)).toEqual([429, 429]);
    } finally {
      await second.close();
    }
  });

  it('throttles an IP that keeps failing authentication', async () => {
    const guarded = await startServer(h.rt, { log: createLogger('silent'), port: 0, host: '127.0.0.1', drainMs: 500, app: { authFailuresPerMinute: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${guarded.url}/v1/sessions`, { headers: { authorization: 'Bearer nope' } })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await guarded.close();
      await deleteByPattern(h.t.services.redis, `${h.t.services.keyPrefix}rl:authfail*`);
    }
  });
});
