import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../../src/sessions/session-manager.js';
import { messagesCacheKey } from '../../src/sessions/session-cache.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;
let sm: SessionManager;
const MAX_BYTES = 4096;

beforeAll(async () => {
  t = await startTestServices();
  sm = new SessionManager({ services: t.services, ttlHours: 1, cacheMessages: 100, cacheMaxBytes: MAX_BYTES });
});
afterAll(async () => t?.cleanup());

async function tailBytes(sessionId: string): Promise<{ bytes: number; members: number }> {
  const members = (await t.services.redis.zrange(messagesCacheKey(t.services.keyPrefix, sessionId), '0', '-1')).filter((m) => m !== '#floor');
  return { bytes: members.reduce((n, m) => n + Buffer.byteLength(m), 0), members: members.length };
}

describe('the Redis tail has a byte cap', () => {
  it('keeps at most DATAOPS_SESSION_CACHE_MAX_BYTES of messages per session, and reads the rest from DynamoDB', async () => {
    const s = await sm.create('tail-bytes');
    for (let i = 0; i < 30; i++) await sm.addMessage(s.sessionId, { role: 'user', content: `${i}:${'x'.repeat(600)}` });
    await sm.addMessage(s.sessionId, { role: 'user', content: 'y'.repeat(64 * 1024) }); // alone larger than the cap
    const after = await tailBytes(s.sessionId);
    expect(after.bytes).toBeLessThanOrEqual(MAX_BYTES);
    // Readers still get every message, newest last, in order.
    const recent = await sm.getRecentMessages(s.sessionId, 31);
    expect(recent.map((m) => m.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(recent.at(-1)!.content).toHaveLength(64 * 1024);
    // Warming the tail from DynamoDB respects the cap as well.
    await t.services.redis.del(messagesCacheKey(t.services.keyPrefix, s.sessionId));
    expect((await sm.getRecentMessages(s.sessionId, 20)).map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 12));
    expect((await tailBytes(s.sessionId)).bytes).toBeLessThanOrEqual(MAX_BYTES);
    const small = await sm.getRecentMessages(s.sessionId, 2);
    expect(small.map((m) => m.seq)).toEqual([30, 31]);
  });
});
