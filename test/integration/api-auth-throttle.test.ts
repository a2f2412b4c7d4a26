import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { deleteByPattern } from '../../src/infra/redis.js';
import { startServer, type RunningServer } from '../../producers/server.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
let behindProxy: RunningServer;
let direct: RunningServer;
let session: string;

beforeAll(async () => {
  // DATAOPS_TRUST_PROXY from config: the API sits behind a proxy on loopback
  h = await startApiHarness({ env: { DATAOPS_TRUST_PROXY: 'loopback' } });
  const log = createLogger('silent');
  behindProxy = await startServer(h.rt, { log, port: 0, host: '127.0.0.1', drainMs: 500, app: { authFailuresPerMinute: 3 } });
  direct = await startServer(h.rt, { log, port: 0, host: '127.0.0.1', drainMs: 500, app: { authFailuresPerMinute: 3, trustProxy: false } });
  session = (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId;
});
afterAll(async () => {
  await behindProxy?.close();
  await direct?.close();
  await h?.cleanup();
});

const get = (srv: RunningServer, token: string | undefined, forwardedFor: string) =>
  fetch(`${srv.url}/v1/sessions`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-forwarded-for': forwardedFor } }).then((r) => r.status);
const clear = () => deleteByPattern(h.t.services.redis, `${h.t.services.keyPrefix}rl:authfail*`);

describe('the failed-authentication throttle behind a load balancer', () => {
  it('one client hammering a bad token is refused; a valid token from the same address still works', async () => {
    await clear();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await get(behindProxy, 'stolen-or-stale-token', '203.0.113.5'));
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // the same address, a valid key: not locked out
    expect(await get(behindProxy, KEYS.alice, '203.0.113.5')).toBe(200);
    expect(await get(behindProxy, KEYS.bob, '203.0.113.5')).toBe(200);
    // the bad token from another client address behind the proxy is that client's own count
    expect(await get(behindProxy, 'stolen-or-stale-token', '198.51.100.7')).toBe(401);
    // the WebSocket upgrade honours the same key: refused for the throttled pair, open for alice
    const upgrade = (token: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${behindProxy.url.replace('http', 'ws')}/v1/sessions/${session}/events`, {
          headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.5' },
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    expect(await upgrade('stolen-or-stale-token')).toBe(429);
    expect(await upgrade(KEYS.alice)).toBe(101);
  });

  it('DATAOPS_TRUST_PROXY decides whose address counts: without it X-Forwarded-For is ignored', async () => {
    await clear();
    // trusted proxy: a forged first hop is still a different client address
    for (let i = 0; i < 3; i++) expect(await get(behindProxy, 'bad', `192.0.2.${i}`)).toBe(401);
    expect(await get(behindProxy, 'bad', '192.0.2.99')).toBe(401);
    // not trusted: every request is the socket's address, whatever the header says
    for (let i = 0; i < 3; i++) expect(await get(direct, 'bad', `192.0.2.${i}`)).toBe(401);
    expect(await get(direct, 'bad', '192.0.2.99')).toBe(429);
    expect(await get(direct, KEYS.alice, '192.0.2.99')).toBe(200);
    expect(h.rt.config.http.trustProxy).toBe('loopback');
    expect(behindProxy.api.app.get('trust proxy')).toBe('loopback');
  });
});
