import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../../src/sessions/session-manager.js';
import { messagesCacheKey } from '../../src/sessions/session-cache.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;
let sm: SessionManager;
let deadRedis: Redis;

beforeAll(async () => {
  t = await startTestServices();
  sm = new SessionManager({ services: t.services, ...t.config.sessions });
  // A client that fails every command at once: a writer "dies" after DynamoDB, before Redis.
  deadRedis = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  deadRedis.on('error', () => undefined);
});
afterAll(async () => {
  deadRedis?.disconnect();
  await t?.cleanup();
});

describe('the Redis tail of recent messages repairs itself', () => {
  it('a message stored in DynamoDB but missing from the tail is mirrored when the same messageId is retried', async () => {
    const s = await sm.create('tail-user');
    await sm.addMessage(s.sessionId, { role: 'user', content: 'one', messageId: 'm-1' });
    await sm.getRecentMessages(s.sessionId, 10); // warms the tail: it now claims to cover the whole session
    await sm.addMessage(s.sessionId, { role: 'assistant', content: 'two', messageId: 'm-2' });

    const crashed = new SessionManager({ services: { ...t.services, redis: deadRedis }, ...t.config.sessions });
    await crashed.addMessage(s.sessionId, { role: 'user', content: 'three', messageId: 'm-3' });
    const stale = await sm.getRecentMessages(s.sessionId, 10);
    expect(stale.map((m) => m.messageId)).toEqual(['m-1', 'm-2']); // the tail misses m-3

    const again = await sm.addMessage(s.sessionId, { role: 'user', content: 'three', messageId: 'm-3' });
    expect(again.seq).toBe(3);
    await sm.addMessage(s.sessionId, { role: 'assistant', content: 'four', messageId: 'm-4' });
    const recent = await sm.getRecentMessages(s.sessionId, 10);
    expect(recent.map((m) => m.messageId)).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
    const raw = await t.services.redis.zrange(messagesCacheKey(t.services.keyPrefix, s.sessionId), '0', '-1');
    expect(raw.filter((json) => json.includes('"m-3"'))).toHaveLength(1);
    // a second repeat changes nothing
    await sm.addMessage(s.sessionId, { role: 'user', content: 'three', messageId: 'm-3' });
    expect((await sm.getRecentMessages(s.sessionId, 10)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });
});
