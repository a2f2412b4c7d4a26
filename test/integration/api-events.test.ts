import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCluster } from '../../src/infra/redis.js';
import { createLogger } from '../../src/logger.js';
import { publishSessionEvent, sessionChannel } from '../../src/runtime/events.js';
import { startServer } from '../../producers/server.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
const A = KEYS.alice;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => h?.cleanup());

/** Subscribers of the session's channel; on a cluster its sharded subscribers, summed over the masters. */
const numsub = async (sessionId: string) => {
  const channel = sessionChannel(h.t.services.keyPrefix, sessionId);
  const redis = h.t.services.redis;
  if (!isCluster(redis)) return Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
  const counts = await Promise.all(redis.nodes('master').map((n) => n.call('PUBSUB', 'SHARDNUMSUB', channel) as Promise<[string, number]>));
  return counts.reduce((sum, r) => sum + Number(r[1]), 0);
};
const until = async (f: () => Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('session events fan-out', () => {
  it('one shared Redis subscription per session per process, however many sockets; every socket gets every event', async () => {
    const s = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
    const clients = await Promise.all([h.events(s, A), h.events(s, A), h.events(s, A)]);
    expect(await numsub(s)).toBe(1);
    expect(h.srv.hub.channelCount).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 3; i++) {
      await publishSessionEvent(h.t.services.redis, h.t.services.keyPrefix, s, { type: 'job.progress', jobId: 'j', progress: i * 10 });
    }
    // a malformed payload is dropped, not forwarded
    await h.t.services.redis.publish(sessionChannel(h.t.services.keyPrefix, s), '{"type":"job.progress","evil":true}');
    for (const c of clients) {
      await c.next((e) => e.type === 'job.progress' && e.progress === 20);
      expect(c.events.filter((e) => e.type === 'job.progress').map((e) => e.progress)).toEqual([0, 10, 20]);
    }
    await clients[0]!.close();
    await clients[1]!.close();
    expect(await numsub(s)).toBe(1);
    await clients[2]!.close();
    await until(async () => (await numsub(s)) === 0);
  });

  it('a quick leave-and-rejoin on the shared connection ends subscribed (subscribe/unsubscribe are serialised)', async () => {
    const s = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
    const got: string[] = [];
    const first = h.srv.hub.subscribe(s, () => undefined);
    const removeFirst = await first;
    const leaving = removeFirst(); // not awaited: UNSUBSCRIBE in flight
    const rejoin = h.srv.hub.subscribe(s, (json) => got.push(json));
    await leaving;
    const removeSecond = await rejoin;
    expect(await numsub(s)).toBe(1);
    await publishSessionEvent(h.t.services.redis, h.t.services.keyPrefix, s, { type: 'job.progress', jobId: 'r', progress: 1 });
    await until(async () => got.length === 1);
    await removeSecond();
    await until(async () => (await numsub(s)) === 0);
  });

  it('events of another session never reach a socket', async () => {
    const s1 = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
    const s2 = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
    const c1 = await h.events(s1, A);
    const c2 = await h.events(s2, A);
    await publishSessionEvent(h.t.services.redis, h.t.services.keyPrefix, s2, { type: 'job.failed', jobId: 'only-s2', error: 'x' });
    await c2.next((e) => e.type === 'job.failed');
    await publishSessionEvent(h.t.services.redis, h.t.services.keyPrefix, s1, { type: 'job.failed', jobId: 'only-s1', error: 'x' });
    await c1.next((e) => e.type === 'job.failed');
    expect(c1.events.map((e) => e.jobId)).toEqual(['only-s1']);
    expect(c2.events.map((e) => e.jobId)).toEqual(['only-s2']);
    await c1.close();
    await c2.close();
  });

  it('drops a client that stops answering pings', async () => {
    const srv = await startServer(h.rt, { log: createLogger('silent'), port: 0, host: '127.0.0.1', heartbeatMs: 150, drainMs: 500 });
    try {
      const s = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
      const url = `${srv.url.replace('http', 'ws')}/v1/sessions/${s}/events`;
      const dead = new WebSocket(url, { headers: { authorization: `Bearer ${A}` }, autoPong: false });
      const alive = new WebSocket(url, { headers: { authorization: `Bearer ${A}` } });
      await Promise.all([dead, alive].map((ws) => new Promise((r) => ws.once('message', r))));
      const code = await new Promise<number>((resolve) => dead.on('close', (c) => resolve(c)));
      expect(code).toBe(1006); // terminated, no close frame
      expect(alive.readyState).toBe(WebSocket.OPEN);
      await until(async () => srv.sockets.clientCount === 1);
      alive.close();
    } finally {
      await srv.close();
    }
  });
});
