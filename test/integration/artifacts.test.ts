import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text as readText } from 'node:stream/consumers';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { Artifact } from '../../src/artifacts/artifact.js';
import { CycleError, NotFoundError, PayloadTooLargeError, ValidationError } from '../../src/errors/index.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;
let store: ArtifactStore;
const MAX_BYTES = 64 * 1024;

beforeAll(async () => {
  t = await startTestServices();
  store = new ArtifactStore({ services: t.services, ttlDays: 30, maxBytes: MAX_BYTES });
});
afterAll(async () => t?.cleanup());

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const base = { workflowName: 'wf', createdBy: 'test-node' } as const;

async function objectExists(key: string): Promise<boolean> {
  try {
    await t.services.s3.send(new HeadObjectCommand({ Bucket: t.services.bucket, Key: key }));
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}

async function metadataItem(artifactId: string) {
  const r = await t.services.doc.send(new GetCommand({ TableName: t.services.tables.artifacts, Key: { artifactId }, ConsistentRead: true }));
  return r.Item;
}

async function blobItem(s3Key: string) {
  const r = await t.services.doc.send(new GetCommand({ TableName: t.services.tables.blobs, Key: { s3Key }, ConsistentRead: true }));
  return r.Item;
}

/** The artifact ids that refer to an S3 object (the blob item's set), sorted. */
async function refs(s3Key: string): Promise<string[]> {
  const r = (await blobItem(s3Key))?.refs as Set<string> | undefined;
  return r ? [...r].sort() : [];
}

describe('store / get / getContent', () => {
  it('round-trips JSON with correct metadata', async () => {
    const content = { rows: [1, 2, 3], name: 'ünïcode' };
    const a = await store.store({ ...base, sessionId: 's-json', content, tags: { env: 'dev' }, description: 'd' });
    const bytes = Buffer.from(JSON.stringify(content));
    expect(Artifact.parse(a)).toEqual(a);
    expect(a).toMatchObject({
      sessionId: 's-json',
      artifactType: 'result',
      contentType: 'json',
      mimeType: 'application/json',
      sizeBytes: bytes.length,
      sha256: sha(bytes),
      description: 'd',
      tags: { env: 'dev' },
      accessCount: 0,
      derivedFrom: null,
      name: null,
    });
    expect(a.artifactId).toMatch(/^art_[0-9a-f-]{36}$/);
    const d = new Date(a.createdAt);
    const ymd = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
    expect(a.s3Key).toBe(`artifacts/s-json/${ymd}/${a.artifactId}`);
    expect(new Date(a.expiresAt!).getTime() - d.getTime()).toBe(30 * 86_400_000);
    expect(await store.getJson(a.artifactId)).toEqual(content);
    const got = await store.peek(a.artifactId);
    expect(got).toEqual({ ...a, accessCount: 1, lastAccessed: got.lastAccessed });
  });

  it('round-trips text, csv and binary', async () => {
    const text = await store.store({ ...base, sessionId: 's-kinds', content: 'hello wörld' });
    expect(text).toMatchObject({ contentType: 'text', mimeType: 'text/plain; charset=utf-8', sizeBytes: Buffer.byteLength('hello wörld') });
    expect(await store.getText(text.artifactId)).toBe('hello wörld');

    const csvBody = 'a,b\n1,2\n';
    const csv = await store.store({ ...base, sessionId: 's-kinds', content: csvBody, contentType: 'csv', artifactType: 'data' });
    expect(csv).toMatchObject({ contentType: 'csv', mimeType: 'text/csv', sha256: sha(csvBody), artifactType: 'data' });
    const { artifact, body } = await store.getContent(csv.artifactId);
    expect(artifact.accessCount).toBe(1);
    expect(await readText(body)).toBe(csvBody);

    const bin = Buffer.from([0, 1, 2, 250, 255, 0, 13, 10]);
    const b = await store.store({ ...base, sessionId: 's-kinds', content: new Uint8Array(bin) });
    expect(b).toMatchObject({ contentType: 'binary', mimeType: 'application/octet-stream', sizeBytes: 8, sha256: sha(bin) });
    expect(Buffer.compare(await store.getBuffer(b.artifactId), bin)).toBe(0);

    const upload = await store.store({ ...base, sessionId: 's-kinds', content: Buffer.from('x,y\n'), name: 'in.csv', mimeType: 'text/csv; charset=latin1' });
    expect(upload).toMatchObject({ contentType: 'csv', mimeType: 'text/csv; charset=latin1', name: 'in.csv' });
  });

  it('stores a small stream (single part) with hash and size computed on the fly', async () => {
    const parts = ['alpha,', 'beta,', 'gamma'];
    const a = await store.store({ ...base, sessionId: 's-stream', content: Readable.from(parts.map((p) => Buffer.from(p))), contentType: 'csv' });
    expect(a).toMatchObject({ sizeBytes: 16, sha256: sha(parts.join('')), contentType: 'csv' });
    expect(await store.getText(a.artifactId)).toBe(parts.join(''));
  });

  it('stores empty content', async () => {
    const empty = await store.store({ ...base, sessionId: 's-empty', content: '' });
    expect(empty).toMatchObject({ sizeBytes: 0, sha256: sha('') });
    expect(await store.getText(empty.artifactId)).toBe('');
    const emptyStream = await store.store({ ...base, sessionId: 's-empty', content: Readable.from([]) });
    expect(emptyStream).toMatchObject({ sizeBytes: 0, sha256: sha(''), contentType: 'binary' });
    expect((await store.getBuffer(emptyStream.artifactId)).length).toBe(0);
  });

  it('unknown ids are NotFoundError everywhere', async () => {
    const missing = 'art_00000000-0000-4000-8000-000000000000';
    await expect(store.get(missing)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.peek(missing)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.getContent(missing)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get('nonsense')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.delete(missing)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.share(missing, 's-other')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.lineage(missing)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.store({ ...base, sessionId: 's-x', content: 'x', parentArtifacts: [missing] })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('bad input is a ValidationError and writes nothing', async () => {
    const bad: unknown[] = [
      { ...base, sessionId: 42, content: 'x' },
      { ...base, sessionId: 'a/b', content: 'x' },
      { ...base, sessionId: 's', content: 5 },
      { ...base, sessionId: 's', content: new Date() },
      { ...base, sessionId: 's', content: 'x', artifactType: 'nope' },
      { ...base, sessionId: 's', content: 'x', tags: { k: 1 } },
      { ...base, sessionId: 's', content: 'x', unknownField: true },
      { sessionId: 's', content: 'x', workflowName: 'wf' },
      { ...base, sessionId: 's', content: { a: 1 }, contentType: 'csv' },
      { ...base, sessionId: 's', content: 'x', mimeType: 'not a mime' },
    ];
    for (const input of bad) {
      const err = await store.store(input as never).catch((e: unknown) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(ValidationError);
    }
    expect((await store.list('s')).items).toEqual([]);
    const unused = Readable.from([Buffer.from('never read')]);
    await expect(store.store({ ...base, sessionId: 'bad/session', content: unused })).rejects.toBeInstanceOf(ValidationError);
    expect(unused.destroyed).toBe(true);
    await expect(store.get(7 as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(store.list('s', { limit: 500 })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.list('s', { cursor: 'garbage' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('list', () => {
  it('pages newest first: 7 items, limit 3 → 3 pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push((await store.store({ ...base, sessionId: 's-list', content: { i }, artifactType: i % 2 ? 'debug' : 'result' })).artifactId);
    }
    const pages: string[][] = [];
    let cursor: string | undefined;
    const all: Artifact[] = [];
    do {
      const page = await store.list('s-list', { limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((a) => a.artifactId));
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(new Set(pages.flat())).toEqual(new Set(ids));
    expect(pages.flat()).toHaveLength(7);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.createdAt >= all[i]!.createdAt).toBe(true);
    // other sessions do not leak in, and a cursor cannot cross sessions
    expect((await store.list('s-list-other')).items).toEqual([]);
    const first = await store.list('s-list', { limit: 3 });
    await expect(store.list('s-kinds', { cursor: first.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
  });

  it('filters without breaking pagination', async () => {
    const sid = 's-filter';
    const wanted: string[] = [];
    for (let i = 0; i < 12; i++) {
      const match = i % 4 === 0; // 0, 4, 8
      const a = await store.store({
        ...base,
        sessionId: sid,
        workflowName: match ? 'wf-a' : 'wf-b',
        content: `row ${i}`,
        tags: match ? { team: 'x', env: 'prod' } : { team: 'x', env: 'dev' },
      });
      if (match) wanted.push(a.artifactId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pagesCount = 0;
    do {
      const page = await store.list(sid, { workflowName: 'wf-a', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.artifactId));
      cursor = page.nextCursor ?? undefined;
      pagesCount++;
    } while (cursor && pagesCount < 10);
    expect(seen.sort()).toEqual([...wanted].sort());
    const byTags = await store.list(sid, { tags: { team: 'x', env: 'prod' }, limit: 50 });
    expect(byTags.items.map((a) => a.artifactId).sort()).toEqual([...wanted].sort());
    expect(byTags.nextCursor).toBeNull();
    expect((await store.list(sid, { tags: { team: 'y' } })).items).toEqual([]);
    expect((await store.list(sid, { artifactType: 'model' })).items).toEqual([]);
    expect((await store.list(sid, { artifactType: 'result', limit: 200 })).items).toHaveLength(12);
  });
});

describe('lineage', () => {
  it('links, walks ancestors and descendants, and rejects cycles without changing anything', async () => {
    const sid = 's-lineage';
    const a = await store.store({ ...base, sessionId: sid, content: 'a' });
    const b = await store.store({ ...base, sessionId: sid, content: 'b', parentArtifacts: [a.artifactId] });
    const c = await store.store({ ...base, sessionId: sid, content: 'c' });
    await store.link(b.artifactId, c.artifactId);
    const again = await store.link(b.artifactId, c.artifactId); // idempotent
    expect(again.parentArtifacts).toEqual([b.artifactId]);

    const full = await store.lineage(c.artifactId);
    expect(full.ancestors.map((x) => x.artifactId)).toEqual([b.artifactId, a.artifactId]);
    expect(full.descendants).toEqual([]);
    expect(full.edges).toEqual(
      expect.arrayContaining([
        { parent: b.artifactId, child: c.artifactId },
        { parent: a.artifactId, child: b.artifactId },
      ]),
    );
    expect(full.edges).toHaveLength(2);
    const down = await store.lineage(a.artifactId, { direction: 'descendants' });
    expect(down.descendants.map((x) => x.artifactId)).toEqual([b.artifactId, c.artifactId]);
    expect(down.ancestors).toEqual([]);
    const shallow = await store.lineage(a.artifactId, { direction: 'descendants', maxDepth: 1 });
    expect(shallow.descendants.map((x) => x.artifactId)).toEqual([b.artifactId]);

    const before = await Promise.all([a, b, c].map((x) => store.peek(x.artifactId)));
    const err = await store.link(c.artifactId, a.artifactId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CycleError);
    expect((err as CycleError).message).toContain(`${a.artifactId} → ${b.artifactId} → ${c.artifactId} → ${a.artifactId}`);
    expect(((err as CycleError).details as { cycle: string[] }).cycle).toEqual([a.artifactId, b.artifactId, c.artifactId, a.artifactId]);
    await expect(store.link(a.artifactId, a.artifactId)).rejects.toBeInstanceOf(CycleError);
    const after = await Promise.all([a, b, c].map((x) => store.peek(x.artifactId)));
    expect(after).toEqual(before);
  });

  it('concurrent links to one child lose nothing', async () => {
    const sid = 's-lineage-conc';
    const child = await store.store({ ...base, sessionId: sid, content: 'child' });
    const parents = await Promise.all(Array.from({ length: 10 }, (_, i) => store.store({ ...base, sessionId: sid, content: `p${i}` })));
    await Promise.all(parents.map((p) => store.link(p.artifactId, child.artifactId)));
    const got = await store.peek(child.artifactId);
    expect(got.parentArtifacts).toEqual(parents.map((p) => p.artifactId).sort());
    const l = await store.lineage(child.artifactId, { direction: 'ancestors' });
    expect(l.ancestors).toHaveLength(10);
  });

  it('concurrent opposite links never leave a cycle', async () => {
    const sid = 's-lineage-race';
    for (let round = 0; round < 5; round++) {
      const x = await store.store({ ...base, sessionId: sid, content: 'x' });
      const y = await store.store({ ...base, sessionId: sid, content: 'y' });
      const results = await Promise.allSettled([store.link(x.artifactId, y.artifactId), store.link(y.artifactId, x.artifactId)]);
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(CycleError);
      const [px, py] = await Promise.all([store.peek(x.artifactId), store.peek(y.artifactId)]);
      expect(px.parentArtifacts.includes(y.artifactId) && py.parentArtifacts.includes(x.artifactId)).toBe(false);
    }
  });
});

describe('share and delete', () => {
  it('a shared copy survives deleting the original; the object goes with the last reference', async () => {
    const original = await store.store({ ...base, sessionId: 's-share-a', content: { hello: 'world' } });
    const copy = await store.share(original.artifactId, 's-share-b');
    expect(copy).toMatchObject({
      sessionId: 's-share-b',
      s3Key: original.s3Key,
      derivedFrom: original.artifactId,
      parentArtifacts: [original.artifactId],
      sha256: original.sha256,
      sizeBytes: original.sizeBytes,
    });
    expect(copy.artifactId).not.toBe(original.artifactId);
    expect(await refs(original.s3Key)).toEqual([original.artifactId, copy.artifactId].sort());
    expect((await store.list('s-share-b')).items.map((a) => a.artifactId)).toEqual([copy.artifactId]);
    expect((await store.lineage(original.artifactId)).descendants.map((a) => a.artifactId)).toEqual([copy.artifactId]);

    await store.delete(original.artifactId);
    expect(await metadataItem(original.artifactId)).toBeUndefined();
    expect(await objectExists(original.s3Key)).toBe(true);
    expect(await store.getJson(copy.artifactId)).toEqual({ hello: 'world' });
    expect((await store.lineage(copy.artifactId)).ancestors).toEqual([]);
    expect(await refs(original.s3Key)).toEqual([copy.artifactId]);

    await store.delete(copy.artifactId);
    expect(await objectExists(original.s3Key)).toBe(false);
    expect(await blobItem(original.s3Key)).toBeUndefined();
    await expect(store.get(copy.artifactId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.delete(copy.artifactId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('concurrent shares and deletes keep the set of referrers right', async () => {
    const original = await store.store({ ...base, sessionId: 's-share-c', content: 'shared text' });
    const copies = await Promise.all(Array.from({ length: 8 }, (_, i) => store.share(original.artifactId, `s-share-t${i}`)));
    expect(await refs(original.s3Key)).toHaveLength(9);
    await Promise.all([store.delete(original.artifactId), ...copies.slice(0, 7).map((c) => store.delete(c.artifactId))]);
    expect(await refs(original.s3Key)).toEqual([copies[7]!.artifactId]);
    expect(await store.getText(copies[7]!.artifactId)).toBe('shared text');
    await store.delete(copies[7]!.artifactId);
    expect(await objectExists(original.s3Key)).toBe(false);
  });

  it('cleanupExpired deletes only expired artifacts', async () => {
    const sid = 's-expire';
    const short = await store.store({ ...base, sessionId: sid, content: 'short', ttlDays: 1 });
    const long = await store.store({ ...base, sessionId: sid, content: 'long', ttlDays: 10 });
    const never = await store.store({ ...base, sessionId: sid, content: 'never', ttlDays: null });
    expect(never.expiresAt).toBeNull();
    expect(await store.cleanupExpired(new Date())).toBe(0);
    const in2days = new Date(Date.now() + 2 * 86_400_000);
    // other test artifacts expire in 30 days, so only `short` is past due
    expect(await store.cleanupExpired(in2days)).toBe(1);
    await expect(store.peek(short.artifactId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await objectExists(short.s3Key)).toBe(false);
    expect((await store.peek(long.artifactId)).artifactId).toBe(long.artifactId);
    expect((await store.peek(never.artifactId)).artifactId).toBe(never.artifactId);
  });
});

describe('access counting and size limits', () => {
  it('50 concurrent gets add exactly 50', async () => {
    const a = await store.store({ ...base, sessionId: 's-count', content: 'counted' });
    await Promise.all(Array.from({ length: 50 }, () => store.get(a.artifactId)));
    const after = await store.peek(a.artifactId);
    expect(after.accessCount).toBe(50);
    expect(after.lastAccessed >= a.lastAccessed).toBe(true);
  });

  it('too-large buffers and streams are refused and leave nothing behind', async () => {
    const sid = 's-too-large';
    const err = await store.store({ ...base, sessionId: sid, content: Buffer.alloc(MAX_BYTES + 1) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as Error).message).toContain(`limit is ${MAX_BYTES} bytes`);

    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 4096;
        this.push(Buffer.alloc(4096, 7));
      },
    });
    const err2 = await store.store({ ...base, sessionId: sid, content: endless }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(PayloadTooLargeError);
    expect((err2 as Error).message).toContain(`limit is ${MAX_BYTES} bytes`);
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThan(MAX_BYTES * 4);
    expect((await store.list(sid)).items).toEqual([]);
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const objects = await t.services.s3.send(new ListObjectsV2Command({ Bucket: t.services.bucket, Prefix: `artifacts/${sid}/` }));
    expect(objects.KeyCount ?? 0).toBe(0);
  });
});
