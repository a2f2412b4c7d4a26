import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '../../src/errors/index.js';
import { INLINE_CONTENT_BYTES } from '../../src/sessions/message-item.js';
import { MAX_METADATA_BYTES } from '../../src/sessions/message.js';
import { MessageStore } from '../../src/sessions/message-store.js';
import { SessionManager } from '../../src/sessions/session-manager.js';
import { messagesCacheKey, sessionCacheKey } from '../../src/sessions/session-cache.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;
let sm: SessionManager;

beforeAll(async () => {
  t = await startTestServices();
  sm = new SessionManager({ services: t.services, ...t.config.sessions });
});
afterAll(async () => t?.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sKey = (id: string) => sessionCacheKey(t.services.keyPrefix, id);
const mKey = (id: string) => messagesCacheKey(t.services.keyPrefix, id);

async function rawSession(id: string) {
  const out = await t.services.doc.send(new GetCommand({ TableName: t.services.tables.sessions, Key: { sessionId: id }, ConsistentRead: true }));
  return out.Item;
}

async function partitionCount(pk: string): Promise<number> {
  const out = await t.services.doc.send(
    new QueryCommand({ TableName: t.services.tables.messages, KeyConditionExpression: 'sessionId = :s', ExpressionAttributeValues: { ':s': pk }, Select: 'COUNT' }),
  );
  return out.Count ?? 0;
}

describe('session lifecycle', () => {
  it('creates, reads, updates and deletes a session', async () => {
    const s = await sm.create('alice', { metadata: { source: 'test' }, preferences: { maxContextMessages: 5 }, globalContext: { env: 'dev' } });
    expect(s).toMatchObject({ userId: 'alice', status: 'active', messageCount: 0, version: 1, metadata: { source: 'test' } });
    expect(s.preferences).toMatchObject({ maxContextMessages: 5 });
    expect(s.preferences.defaultModel).toBeUndefined(); // the operator's DATAOPS_LLM_MODEL applies
    expect(await sm.get(s.sessionId)).toEqual(s);

    const u = await sm.update(s.sessionId, {
      globalContext: { env: 'prod' },
      activeWorkflows: ['jil_parse'],
      preferences: { autoCompressContext: false },
      pendingRequest: { workflow: 'jil_parse', params: { file: 'a.jil' }, missing: ['env'], askedAt: new Date().toISOString() },
    });
    expect(u.version).toBe(2);
    expect(u.globalContext).toEqual({ env: 'prod' });
    expect(u.preferences).toMatchObject({ maxContextMessages: 5, autoCompressContext: false }); // merged, not replaced
    expect(u.pendingRequest?.missing).toEqual(['env']);
    expect(await sm.get(s.sessionId)).toEqual(u);
    // DynamoDB holds the same thing as the cache.
    expect((await rawSession(s.sessionId))?.version).toBe(2);
    await t.services.redis.del(sKey(s.sessionId));
    expect(await sm.get(s.sessionId)).toEqual(u);

    const cleared = await sm.update(s.sessionId, { pendingRequest: null });
    expect(cleared.pendingRequest).toBeNull();
    expect((await sm.updateWith(s.sessionId, () => ({}), { touch: false })).version).toBe(cleared.version); // no write
    const touched = await sm.update(s.sessionId, {});
    expect(touched.version).toBe(cleared.version + 1);
    expect(touched.lastActive >= cleared.lastActive).toBe(true);

    await sm.addMessage(s.sessionId, { role: 'user', content: 'hello' });
    await sm.delete(s.sessionId);
    await expect(sm.get(s.sessionId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await rawSession(s.sessionId)).toBeUndefined();
    expect(await partitionCount(s.sessionId)).toBe(0);
    expect(await t.services.redis.exists(mKey(s.sessionId))).toBe(0);
    expect(await t.services.redis.hget(sKey(s.sessionId), 'doc')).toBeNull();
    await expect(sm.delete(s.sessionId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('unknown ids are NotFoundError everywhere', async () => {
    const unknown = 'sess_00000000-0000-4000-8000-000000000000';
    await expect(sm.get(unknown)).rejects.toBeInstanceOf(NotFoundError);
    await expect(sm.get('garbage')).rejects.toBeInstanceOf(NotFoundError);
    expect(await sm.getOrNull(unknown)).toBeNull();
    await expect(sm.update(unknown, { status: 'idle' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(sm.addMessage(unknown, { role: 'user', content: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(sm.addMessage(unknown, { role: 'user', content: 'x', messageId: 'm-x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(sm.getRecentMessages(unknown, 5)).rejects.toBeInstanceOf(NotFoundError);
    await expect(sm.listMessages(unknown)).rejects.toBeInstanceOf(NotFoundError);
    await expect(sm.getContextSummary(unknown)).rejects.toBeInstanceOf(NotFoundError);
    await expect(sm.delete(unknown)).rejects.toBeInstanceOf(NotFoundError);
    expect(await rawSession(unknown)).toBeUndefined(); // appends did not create an item
  });

  it('an update with an unknown key or a wrong type is a ValidationError and changes nothing', async () => {
    const s = await sm.create('bob');
    const before = await rawSession(s.sessionId);
    for (const bad of [{ messageCount: 99 }, { status: 'deleted' }, { foo: 1, status: 'idle' }, { preferences: { maxContextMessages: 0 } }]) {
      const err = await sm.update(s.sessionId, bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(Array.isArray((err as ValidationError).details)).toBe(true);
    }
    expect(await rawSession(s.sessionId)).toEqual(before);
    expect(await sm.get(s.sessionId)).toEqual(s);
  });

  it('updateWith never loses a concurrent read-modify-write', async () => {
    const s = await sm.create('carol');
    const others = [1, 2, 3].map(() => new SessionManager({ services: t.services, ...t.config.sessions, maxUpdateAttempts: 50 }));
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        others[i % 3]!.updateWith(s.sessionId, (cur) => ({ globalContext: { ...cur.globalContext, [`k${i}`]: i } })),
      ),
    );
    const after = await sm.get(s.sessionId);
    expect(Object.keys(after.globalContext).sort()).toEqual(Array.from({ length: 15 }, (_, i) => `k${i}`).sort());
    expect(after.version).toBe(16);
    await t.services.redis.del(sKey(s.sessionId));
    expect((await sm.get(s.sessionId)).globalContext).toEqual(after.globalContext);
  });

  it('refuses to grow the session item past its size cap', async () => {
    const s = await sm.create('dave');
    await expect(sm.update(s.sessionId, { globalContext: { blob: 'x'.repeat(400 * 1024) } })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect((await sm.get(s.sessionId)).version).toBe(1);
  });
});

describe('listing and expiry', () => {
  it('lists a user’s sessions newest first, paginated, active only on request', async () => {
    const user = `lister-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push((await sm.create(user)).sessionId);
      await sleep(3);
    }
    await sm.create('someone-else');
    // Activity reorders: the first session becomes the most recent.
    await sleep(3);
    await sm.addMessage(ids[0]!, { role: 'user', content: 'back again' });
    await sm.update(ids[3]!, { status: 'idle' }, { touch: false });
    const expectedAll = [ids[0]!, ...ids.slice(1).reverse()];

    const all: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await sm.listUserSessions(user, { activeOnly: false, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(3);
      all.push(...page.items.map((s) => s.sessionId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(all).toEqual(expectedAll);
    expect(pages).toBe(3);

    const active = await sm.listUserSessions(user, { activeOnly: true, limit: 100 });
    expect(active.items.map((s) => s.sessionId)).toEqual(expectedAll.filter((id) => id !== ids[3]));
    expect(active.nextCursor).toBeNull();
    const firstTwo = await sm.listUserSessions(user, { activeOnly: true, limit: 2 });
    expect(firstTwo.items).toHaveLength(2);
    const rest = await sm.listUserSessions(user, { activeOnly: true, limit: 100, cursor: firstTwo.nextCursor! });
    expect([...firstTwo.items, ...rest.items].map((s) => s.sessionId)).toEqual(active.items.map((s) => s.sessionId));

    await expect(sm.listUserSessions(user, { limit: 101 })).rejects.toBeInstanceOf(ValidationError);
    await expect(sm.listUserSessions(user, { cursor: 'nope' })).rejects.toBeInstanceOf(ValidationError);
    expect((await sm.listUserSessions('nobody-at-all')).items).toEqual([]);
  });

  it('expires only sessions inactive for longer than ttlHours, and drops them from Redis', async () => {
    const old = await sm.create('expiry');
    await sleep(5);
    const recent = await sm.create('expiry');
    await sm.getRecentMessages(old.sessionId, 5); // warm the tail too
    expect(await t.services.redis.exists(sKey(old.sessionId), mKey(old.sessionId))).toBe(2);
    // "now" chosen so that the cutoff falls between the two sessions' lastActive.
    const now = new Date(Date.parse(recent.lastActive) + t.config.sessions.ttlHours * 3600_000);
    const expired = await sm.cleanupExpiredSessions(now);
    expect(expired).toBeGreaterThanOrEqual(1);
    const o = await sm.get(old.sessionId);
    expect(o.status).toBe('expired');
    expect(o.version).toBe(old.version + 1);
    expect((await sm.get(recent.sessionId)).status).toBe('active');
    expect(await t.services.redis.exists(mKey(old.sessionId))).toBe(0);
    expect((await rawSession(old.sessionId))?.status).toBe('expired');
    expect(await sm.cleanupExpiredSessions(now)).toBe(0); // idempotent
  });
});

describe('messages', () => {
  it('appends, pages and summarises; cache misses warm the cache', async () => {
    const s = await sm.create('erin', { globalContext: { project: 'etl' } });
    for (let i = 1; i <= 23; i++) {
      const m = await sm.addMessage(s.sessionId, { role: i % 2 ? 'user' : 'assistant', content: `m${i}`, workflow: i === 2 ? 'jil_parse' : null, artifacts: i === 2 ? ['art_1'] : [], metadata: { i } });
      expect(m.seq).toBe(i);
      expect(m.messageId).toMatch(/^msg_/);
    }
    const got = await sm.get(s.sessionId);
    expect(got.messageCount).toBe(23);
    expect((await rawSession(s.sessionId))?.messageCount).toBe(23);

    const page1 = await sm.listMessages(s.sessionId, { limit: 10 });
    const page2 = await sm.listMessages(s.sessionId, { limit: 10, cursor: page1.nextCursor! });
    const page3 = await sm.listMessages(s.sessionId, { limit: 10, cursor: page2.nextCursor! });
    expect(page3.nextCursor).toBeNull();
    const all = [...page1.items, ...page2.items, ...page3.items];
    expect(all.map((m) => m.content)).toEqual(Array.from({ length: 23 }, (_, i) => `m${i + 1}`));
    expect(all[1]).toMatchObject({ workflow: 'jil_parse', artifacts: ['art_1'], metadata: { i: 2 }, role: 'assistant' });
    await expect(sm.listMessages(s.sessionId, { limit: 501 })).rejects.toBeInstanceOf(ValidationError);

    // From the tail cache (written by the appends), then from DynamoDB after the cache is gone.
    const fromCache = await sm.getRecentMessages(s.sessionId, 5);
    expect(fromCache).toEqual(all.slice(-5));
    await t.services.redis.del(mKey(s.sessionId), sKey(s.sessionId));
    const fromDb = await sm.getRecentMessages(s.sessionId, 5);
    expect(fromDb).toEqual(all.slice(-5));
    expect(await t.services.redis.exists(mKey(s.sessionId))).toBe(1); // warmed
    expect(await t.services.redis.hget(sKey(s.sessionId), 'doc')).not.toBeNull();
    expect(await sm.getRecentMessages(s.sessionId, 50)).toEqual(all); // more than exist: the whole session

    const summary = await sm.getContextSummary(s.sessionId, 2);
    expect(summary).toContain(`Session: ${s.sessionId}`);
    expect(summary).toContain('Messages: 23');
    expect(summary).toMatch(/\] assistant: m22\n\[[^\]]+\] user: m23\n\nSession Context:\n\{\n {2}"project": "etl"\n\}$/);
    expect(summary).not.toContain('m21');
  });

  it('serves tails beyond the Redis window from DynamoDB, consistently', async () => {
    const small = new SessionManager({ services: t.services, ttlHours: 1, cacheMessages: 5 });
    const s = await small.create('frank');
    for (let i = 1; i <= 12; i++) await small.addMessage(s.sessionId, { role: 'user', content: `n${i}` });
    expect(await t.services.redis.zcard(mKey(s.sessionId))).toBe(5); // trimmed (no floor yet)
    const all = (await small.listMessages(s.sessionId)).items;
    expect((await small.getRecentMessages(s.sessionId, 3)).map((m) => m.seq)).toEqual([10, 11, 12]);
    expect((await small.getRecentMessages(s.sessionId, 8)).map((m) => m.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await small.getRecentMessages(s.sessionId, 12)).toEqual(all);
    expect(await t.services.redis.zcard(mKey(s.sessionId))).toBe(6); // 5 messages + the floor marker
    await small.addMessage(s.sessionId, { role: 'user', content: 'n13' });
    expect((await small.getRecentMessages(s.sessionId, 5)).map((m) => m.content)).toEqual(['n9', 'n10', 'n11', 'n12', 'n13']);
  });

  it('is idempotent on a caller-supplied messageId, even when retried concurrently', async () => {
    const s = await sm.create('gina');
    const first = await sm.addMessage(s.sessionId, { role: 'user', content: 'once', messageId: 'job-1:user' });
    const again = await sm.addMessage(s.sessionId, { role: 'user', content: 'once', messageId: 'job-1:user' });
    expect(again).toEqual(first);
    const burst = await Promise.all(Array.from({ length: 8 }, () => sm.addMessage(s.sessionId, { role: 'assistant', content: 'reply', messageId: 'job-1:reply' })));
    expect(new Set(burst.map((m) => m.seq)).size).toBe(1);
    const after = await sm.get(s.sessionId);
    expect(after.messageCount).toBe(2);
    expect((await sm.listMessages(s.sessionId)).items.map((m) => m.messageId)).toEqual(['job-1:user', 'job-1:reply']);
    // Delete removes the claims too (no stale claim survives to dedupe a future session's message).
    await sm.delete(s.sessionId);
    expect(await partitionCount(`${s.sessionId}#id#job-1:user`)).toBe(0);
  });

  it('a reply put at a reserved seq is stored once however often it is retried, with no claim item', async () => {
    const s = await sm.create('gail');
    await sm.addMessage(s.sessionId, { role: 'user', content: 'question', messageId: 'q-1' }, { fresh: true });
    const grant = await sm.reserveSeq(s.sessionId);
    const reply = { role: 'assistant' as const, content: 'answer', messageId: 'q-1.reply' };
    const first = await sm.addMessage(s.sessionId, reply, { seq: grant });
    // a retried job holds the same grant: the conditional put hands back what the first attempt stored
    const retried = await Promise.all(Array.from({ length: 4 }, () => sm.addMessage(s.sessionId, reply, { seq: grant })));
    expect(first.seq).toBe(grant.seq);
    for (const r of retried) expect(r).toEqual(first);
    expect((await sm.listMessages(s.sessionId)).items.map((m) => [m.seq, m.messageId])).toEqual([
      [1, 'q-1'],
      [2, 'q-1.reply'],
    ]);
    expect((await sm.get(s.sessionId)).messageCount).toBe(2);
    // neither path wrote a claim item, and the Redis tail holds both
    expect(await partitionCount(`${s.sessionId}#id#q-1`)).toBe(0);
    expect(await partitionCount(`${s.sessionId}#id#q-1.reply`)).toBe(0);
    expect((await sm.getRecentMessages(s.sessionId, 5)).map((m) => m.messageId)).toEqual(['q-1', 'q-1.reply']);
    // a reserved seq holding another message is a conflict, never an overwrite
    await expect(sm.addMessage(s.sessionId, { role: 'assistant', content: 'other', messageId: 'x.reply' }, { seq: grant })).rejects.toMatchObject({ code: 'conflict' });
    await expect(sm.addMessage(s.sessionId, { role: 'assistant', content: 'no id' }, { seq: await sm.reserveSeq(s.sessionId) })).rejects.toBeInstanceOf(ValidationError);
  });

  it('a question can take the seq of its reply in the same update: concurrent appends still get distinct seqs', async () => {
    const s = await sm.create('gus');
    const grants: { seq: number }[] = [];
    const asked = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2
          ? sm.addMessage(s.sessionId, { role: 'user', content: `plain ${i}` })
          : sm.addMessage(s.sessionId, { role: 'user', content: `q ${i}`, messageId: `q-${i}` }, { fresh: true, reserve: (g) => grants.push(g) }),
      ),
    );
    expect(grants).toHaveLength(6);
    await Promise.all(grants.map((g, i) => sm.addMessage(s.sessionId, { role: 'assistant', content: `a ${i}`, messageId: `a-${i}` }, { seq: g as never })));
    const all = [...asked.map((m) => m.seq), ...grants.map((g) => g.seq)];
    expect(new Set(all).size).toBe(18);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    // every reserved seq sits right after its question's
    for (const [i, m] of asked.entries()) if (i % 2 === 0) expect(grants.some((g) => g.seq === m.seq + 1)).toBe(true);
    expect((await sm.get(s.sessionId)).messageCount).toBe(18);
    await expect(sm.addMessage(s.sessionId, { role: 'user', content: 'x', messageId: 'claimed' }, { reserve: () => undefined })).rejects.toBeInstanceOf(ValidationError);
  });

  it('a retry fills the seq a crashed idempotent writer took; other holes are skipped by readers', async () => {
    const s = await sm.create('hank');
    const store = new MessageStore(t.services.doc, t.services.tables.sessions, t.services.tables.messages);
    await sm.addMessage(s.sessionId, { role: 'user', content: 'one' });
    // A writer claims job-7, takes seq 2, records it, then "crashes" before putting the message.
    const claim = await store.claim(s.sessionId, 'job-7', Date.now());
    expect(claim.kind).toBe('owned');
    const { last: seq } = await store.allocateSeq(s.sessionId, new Date().toISOString());
    expect(await store.setClaimSeq(s.sessionId, 'job-7', (claim as { token: string }).token, seq)).toBe(true);
    // A plain writer takes seq 3 and dies too: an unrecoverable hole.
    await store.allocateSeq(s.sessionId, new Date().toISOString());
    await sm.addMessage(s.sessionId, { role: 'user', content: 'four' });
    // The retried job fills seq 2.
    const retried = await sm.addMessage(s.sessionId, { role: 'assistant', content: 'two', messageId: 'job-7' });
    expect(retried.seq).toBe(2);
    const listed = (await sm.listMessages(s.sessionId)).items;
    expect(listed.map((m) => [m.seq, m.content])).toEqual([[1, 'one'], [2, 'two'], [4, 'four']]);
    await t.services.redis.del(mKey(s.sessionId));
    expect((await sm.getRecentMessages(s.sessionId, 2)).map((m) => m.seq)).toEqual([2, 4]);
    expect((await sm.getRecentMessages(s.sessionId, 10)).map((m) => m.seq)).toEqual([1, 2, 4]);
    expect((await sm.get(s.sessionId)).messageCount).toBe(4);
  });

  it('stores content larger than a DynamoDB item in chunks, and deletes them with the session', async () => {
    const s = await sm.create('ivy');
    const big = 'Ωmega-'.repeat(149_000); // ~1 MB of UTF-8
    expect(Buffer.byteLength(big)).toBeLessThanOrEqual(1024 * 1024);
    const m = await sm.addMessage(s.sessionId, { role: 'assistant', content: big, messageId: 'big-1' });
    expect(m.content).toBe(big);
    await sm.addMessage(s.sessionId, { role: 'user', content: 'small' });
    await t.services.redis.del(mKey(s.sessionId));
    const recent = await sm.getRecentMessages(s.sessionId, 2);
    expect(recent[0]!.content).toBe(big);
    expect((await sm.listMessages(s.sessionId)).items[0]!.content).toBe(big);
    expect(await partitionCount(`${s.sessionId}#c1`)).toBeGreaterThan(1);
    await expect(sm.addMessage(s.sessionId, { role: 'user', content: 'x'.repeat(1024 * 1024 + 1) })).rejects.toBeInstanceOf(PayloadTooLargeError);
    // The largest message that is still stored inline fits in one item with every other field at its limit.
    const worst = await sm.addMessage(s.sessionId, {
      role: 'assistant',
      content: 'w'.repeat(INLINE_CONTENT_BYTES),
      workflow: 'w'.repeat(200),
      artifacts: Array.from({ length: 500 }, (_, i) => `${i}`.padEnd(200, 'a')),
      metadata: { pad: 'm'.repeat(MAX_METADATA_BYTES - 20) },
    });
    expect((await sm.listMessages(s.sessionId)).items.at(-1)).toEqual(worst);
    await expect(sm.addMessage(s.sessionId, { role: 'nobody' as 'user', content: 'x' })).rejects.toBeInstanceOf(ValidationError);
    await sm.delete(s.sessionId);
    expect(await partitionCount(`${s.sessionId}#c1`)).toBe(0);
    expect(await partitionCount(s.sessionId)).toBe(0);
  });
});
