import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors/index.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
const A = KEYS.alice;

beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => h?.cleanup());

const newSession = async (json: Record<string, unknown> = {}): Promise<string> => (await h.call('POST', '/v1/sessions', { token: A, json })).body.sessionId;
const listed = async (query = ''): Promise<{ sessionId: string; status: string }[]> =>
  (await h.call('GET', `/v1/sessions?limit=100${query}`, { token: A })).body.items;

async function redisKeysOf(sessionId: string): Promise<string[]> {
  const { redis, keyPrefix } = h.t.services;
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}sess:{${sessionId}}*`, 'COUNT', 1000);
    out.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return out.sort();
}

async function s3Objects(sessionId: string): Promise<string[]> {
  const r = await h.t.services.s3.send(new ListObjectsV2Command({ Bucket: h.t.services.bucket, Prefix: `artifacts/${sessionId}/` }));
  return (r.Contents ?? []).map((o) => o.Key!);
}

async function tableItems(table: string, sessionId: string): Promise<number> {
  const r = await h.t.services.doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'sessionId = :s', ExpressionAttributeValues: { ':s': sessionId } }));
  return r.Items?.length ?? 0;
}

describe('session lifecycle', () => {
  it('an expired session stays listed (status expired), and a new message reactivates it with a fresh expiry', async () => {
    const s = await newSession();
    const before = (await h.call('GET', `/v1/sessions/${s}`, { token: A })).body;
    const future = new Date(Date.parse(before.lastActive) + h.t.config.sessions.ttlHours * 3600_000 + 60_000);
    expect(await h.rt.sessions.cleanupExpiredSessions(future)).toBeGreaterThanOrEqual(1);
    expect((await h.call('GET', `/v1/sessions/${s}`, { token: A })).body.status).toBe('expired');
    expect((await listed()).find((x) => x.sessionId === s)?.status).toBe('expired');
    expect((await listed('&active=true')).map((x) => x.sessionId)).not.toContain(s);

    const r = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'back again' } });
    expect(r.status).toBe(202);
    const after = (await h.call('GET', `/v1/sessions/${s}`, { token: A })).body;
    expect(after.status).toBe('active');
    expect(after.lastActive > before.lastActive).toBe(true);
    expect((await listed('&active=true')).find((x) => x.sessionId === s)?.status).toBe('active');
    // A sweep at the old cutoff leaves it alone now: its inactivity clock restarted.
    expect(await h.rt.sessions.cleanupExpiredSessions(new Date(Date.parse(after.lastActive) + 1000))).toBe(0);
    expect((await h.rt.sessions.get(s)).status).toBe('active');
  });

  it('deleting a session removes its messages, artifacts, snapshots, checkpoints and Redis keys; shared content survives in the other session', async () => {
    const s = await newSession({ globalContext: { notes: 'n'.repeat(40_000) } });
    const other = await newSession();
    expect((await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'hello there' } })).status).toBe(202);
    const up = async (text: string) =>
      (await h.call('POST', `/v1/sessions/${s}/artifacts?name=${text}.txt`, { token: A, body: text, headers: { 'content-type': 'text/plain' } })).body.artifactId as string;
    const kept = await up('shared-content');
    const dropped = await up('private-content');
    const copy = (await h.call('POST', `/v1/artifacts/${kept}/share`, { token: A, json: { targetSessionId: other } })).body.artifactId as string;
    const snap = (await h.call('POST', `/v1/sessions/${s}/snapshots`, { token: A, json: {} })).body.snapshotId as string;
    expect((await h.call('POST', `/v1/sessions/${s}/checkpoints`, { token: A, json: { label: 'before' } })).status).toBe(201);
    await h.rt.context.promptSummary(s, { budgetTokens: 200 }); // caches a compressed prompt context
    expect((await redisKeysOf(s)).length).toBeGreaterThanOrEqual(3);
    expect(await s3Objects(s)).toHaveLength(4); // two uploads, the snapshot, the checkpoint's snapshot

    expect((await h.call('DELETE', `/v1/sessions/${s}`, { token: A })).status).toBe(204);

    expect((await h.call('GET', `/v1/sessions/${s}`, { token: A })).status).toBe(404);
    expect((await listed()).map((x) => x.sessionId)).not.toContain(s);
    for (const id of [kept, dropped, snap]) await expect(h.rt.artifacts.peek(id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await h.rt.artifacts.list(s)).items).toEqual([]);
    expect(await tableItems(h.t.services.tables.checkpoints, s)).toBe(0);
    expect(await tableItems(h.t.services.tables.messages, s)).toBe(0);
    expect(await tableItems(h.t.services.tables.sessions, s)).toBe(0);
    // Only the delete's short-lived tombstone (a version, no data) is left in Redis.
    const left = await redisKeysOf(s);
    expect(left).toEqual([`${h.t.services.keyPrefix}sess:{${s}}`]);
    expect(Object.keys(await h.t.services.redis.hgetall(left[0]!))).toEqual(['version']);
    // The copy in the other session still reads; it holds the last reference to the bytes.
    expect(await s3Objects(s)).toHaveLength(1);
    expect((await h.call('GET', `/v1/artifacts/${copy}/content`, { token: A })).text).toBe('shared-content');
    expect((await h.call('DELETE', `/v1/artifacts/${copy}`, { token: A })).status).toBe(204);
    expect(await s3Objects(s)).toEqual([]);
  });

  it('a delete that crashed part-way is finished by the maintenance sweep', async () => {
    const s = await newSession();
    const a = (await h.call('POST', `/v1/sessions/${s}/artifacts`, { token: A, body: 'x', headers: { 'content-type': 'text/plain' } })).body.artifactId as string;
    await expect(
      h.rt.sessions.delete(s, {
        cascade: async () => {
          throw new Error('process died');
        },
      }),
    ).rejects.toThrow('process died');
    expect((await h.call('GET', `/v1/sessions/${s}`, { token: A })).status).toBe(404); // flagged: gone for readers
    expect((await h.rt.artifacts.peek(a)).artifactId).toBe(a);
    expect(await h.rt.context.resumeDeletes()).toBeGreaterThanOrEqual(1);
    await expect(h.rt.artifacts.peek(a)).rejects.toBeInstanceOf(NotFoundError);
    expect(await tableItems(h.t.services.tables.sessions, s)).toBe(0);
    expect(await s3Objects(s)).toEqual([]);
  });
});
