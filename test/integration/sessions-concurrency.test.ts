import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient } from '../../src/infra/redis.js';
import type { Message } from '../../src/sessions/message.js';
import { SessionManager } from '../../src/sessions/session-manager.js';
import { messagesCacheKey, sessionCacheKey } from '../../src/sessions/session-cache.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

const WRITERS = 50;
const PER_WRITER = 200;
const TOTAL = WRITERS * PER_WRITER;
const MESSAGE_BYTES = 540; // 10,000 × 540 B ≈ 5.4 MB of text
const MANAGERS = 5; // simulated worker processes, each with its own Redis connection

let t: TestServices;
const connections: RedisClient[] = [];
let managers: SessionManager[] = [];
let sessionId = '';

beforeAll(async () => {
  t = await startTestServices();
  for (let i = 0; i < MANAGERS; i++) connections.push(createRedisClient(t.config.redis));
  managers = connections.map((redis) => new SessionManager({ services: { ...t.services, redis }, ...t.config.sessions }));
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
  await t?.cleanup();
});

function content(w: number, i: number): string {
  const head = `writer ${w} message ${i}: `;
  return head + 'lorem ipsum dolor sit amet '.repeat(30).slice(0, MESSAGE_BYTES - head.length);
}

/** Every message item of the session, read straight from DynamoDB (not through the manager or cache). */
async function allFromDynamo(id: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await t.services.doc.send(
      new QueryCommand({
        TableName: t.services.tables.messages,
        KeyConditionExpression: 'sessionId = :s',
        ExpressionAttributeValues: { ':s': id },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('appending to one session from many writers', () => {
  it(
    `${WRITERS} concurrent writers × ${PER_WRITER} messages leave exactly ${TOTAL} messages with gap-free seqs`,
    async () => {
      sessionId = (await managers[0]!.create('load')).sessionId;
      const started = performance.now();
      const returned = await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          const sm = managers[w % MANAGERS]!;
          const mine: Message[] = [];
          for (let i = 0; i < PER_WRITER; i++) mine.push(await sm.addMessage(sessionId, { role: 'user', content: content(w, i), metadata: { w, i } }));
          return mine;
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(`[sessions] appended ${TOTAL} messages from ${WRITERS} writers in ${seconds.toFixed(1)} s: ${(TOTAL / seconds).toFixed(0)} messages/s`);

      // Each writer saw its own messages in increasing seq order.
      for (const mine of returned) for (let i = 1; i < mine.length; i++) expect(mine[i]!.seq).toBeGreaterThan(mine[i - 1]!.seq);

      // Source of truth: DynamoDB.
      const items = await allFromDynamo(sessionId);
      expect(items).toHaveLength(TOTAL);
      const seqs = items.map((m) => Number(m.seq)).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
      expect(new Set(items.map((m) => m.messageId)).size).toBe(TOTAL);
      const seen = new Set(items.map((m) => m.content));
      for (let w = 0; w < WRITERS; w++) for (let i = 0; i < PER_WRITER; i++) expect(seen.has(content(w, i))).toBe(true);
      const totalBytes = items.reduce((n, m) => n + Buffer.byteLength(String(m.content)), 0);
      expect(totalBytes).toBeGreaterThanOrEqual(5 * 1024 * 1024);

      const raw = await t.services.dynamo.send(
        new GetItemCommand({ TableName: t.services.tables.sessions, Key: { sessionId: { S: sessionId } }, ConsistentRead: true }),
      );
      expect(raw.Item?.messageCount?.N).toBe(String(TOTAL));

      // The Redis mirror agrees: counter, and a tail of exactly the newest seqs in order.
      const kp = t.services.keyPrefix;
      expect(await t.services.redis.hget(sessionCacheKey(kp, sessionId), 'messageCount')).toBe(String(TOTAL));
      const tail = await t.services.redis.zrange(messagesCacheKey(kp, sessionId), '0', '-1', 'WITHSCORES');
      const tailSeqs: number[] = [];
      for (let i = 0; i < tail.length; i += 2) {
        if (tail[i] === '#floor') continue;
        const m = JSON.parse(tail[i]!) as Message;
        expect(m.seq).toBe(Number(tail[i + 1]));
        tailSeqs.push(m.seq);
      }
      const keep = t.config.sessions.cacheMessages;
      expect(tailSeqs).toEqual(Array.from({ length: keep }, (_, i) => TOTAL - keep + i + 1));
    },
    240_000,
  );

  it('the 10,000-message, 5 MB session stays small and serves its tail', async () => {
    expect(sessionId).not.toBe('');
    const sm = managers[0]!;
    const raw = await t.services.dynamo.send(
      new GetItemCommand({ TableName: t.services.tables.sessions, Key: { sessionId: { S: sessionId } }, ConsistentRead: true }),
    );
    const itemBytes = Buffer.byteLength(JSON.stringify(raw.Item));
    console.log(`[sessions] session item after ${TOTAL} messages: ${itemBytes} bytes`);
    expect(itemBytes).toBeLessThan(10 * 1024);
    const s = await sm.get(sessionId);
    expect(s.messageCount).toBe(TOTAL);

    const newest = (await allFromDynamo(sessionId)).sort((a, b) => Number(a.seq) - Number(b.seq)).slice(-20);
    const expected = newest.map((m) => ({ seq: Number(m.seq), content: String(m.content), messageId: String(m.messageId) }));
    const pick = (ms: Message[]) => ms.map((m) => ({ seq: m.seq, content: m.content, messageId: m.messageId }));

    expect(pick(await sm.getRecentMessages(sessionId, 20))).toEqual(expected); // from the Redis tail
    await t.services.redis.del(messagesCacheKey(t.services.keyPrefix, sessionId), sessionCacheKey(t.services.keyPrefix, sessionId));
    expect(pick(await sm.getRecentMessages(sessionId, 20))).toEqual(expected); // from DynamoDB
    expect(pick(await managers[1]!.getRecentMessages(sessionId, 20))).toEqual(expected); // warmed cache, another worker

    const summary = await sm.getContextSummary(sessionId, 3);
    expect(summary).toContain(`Messages: ${TOTAL}`);
    expect(summary).toContain(expected[19]!.content);
  });
});
