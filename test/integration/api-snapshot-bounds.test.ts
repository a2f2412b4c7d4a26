import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
const A = KEYS.alice;
let s: string;

beforeAll(async () => {
  h = await startApiHarness({ env: { DATAOPS_SNAPSHOT_MAX_BYTES: String(1024 * 1024) } });
  s = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId;
});
afterAll(async () => h?.cleanup());

/** ~200 KB of gzip that inflates to 200 MB. */
const bomb = () => gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 });

describe('context snapshots are reserved and bounded', () => {
  it('an upload cannot claim to be a context snapshot (type, tag or workflow): 400 and nothing stored', async () => {
    const body = bomb();
    expect(body.length).toBeLessThan(300 * 1024);
    for (const q of ['artifactType=context', 'tag=kind:context_snapshot', 'workflowName=context_manager']) {
      const r = await h.call('POST', `/v1/sessions/${s}/artifacts?${q}`, { token: A, body, headers: { 'content-type': 'application/gzip' } });
      expect(r.status, q).toBe(400);
      expect(r.text).toMatch(/reserved for context snapshots/);
    }
    const list = await h.call('GET', `/v1/sessions/${s}/artifacts`, { token: A });
    expect(list.body.items).toHaveLength(0);
  });

  it('a gzip bomb stored as a snapshot is refused with 413 when loaded; decompression stops at the bound', async () => {
    // Written below the API, as a snapshot that predates the reservation would be.
    const planted = await h.rt.artifacts.store({
      sessionId: s,
      workflowName: 'context_manager',
      artifactType: 'context',
      content: bomb(),
      contentType: 'binary',
      mimeType: 'application/gzip',
      createdBy: 'context_manager',
      tags: { kind: 'context_snapshot' },
    });
    const before = process.memoryUsage().rss;
    const r = await h.call('POST', `/v1/sessions/${s}/snapshots/${planted.artifactId}/load`, { token: A, json: { strategy: 'merge' } });
    expect(r.status).toBe(413);
    expect(r.text).toMatch(/decodes to more than 1048576 bytes/);
    // Unbounded, gunzip would have allocated the whole 200 MB (and more while concatenating).
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    // A real snapshot still round-trips.
    const snap = await h.call('POST', `/v1/sessions/${s}/snapshots`, { token: A, json: {} });
    expect(snap.status).toBe(201);
    expect((await h.call('POST', `/v1/sessions/${s}/snapshots/${snap.body.snapshotId}/load`, { token: A, json: { strategy: 'merge' } })).status).toBe(200);
  });
});
