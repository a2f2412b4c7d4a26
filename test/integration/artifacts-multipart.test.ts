import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { openUploads, partFilesOnDisk, untilEmpty } from '../support/multipart-uploads.js';

const MiB = 1024 * 1024;
const LIMIT = 12 * MiB;

let h: ApiHarness;

// A cap above one part (5 MiB), so an upload gets as far as storing parts before it fails.
beforeAll(async () => {
  h = await startApiHarness({ env: { DATAOPS_ARTIFACT_MAX_BYTES: String(LIMIT) } });
});
afterAll(async () => h?.cleanup());

/** A chunked request body (no Content-Length, so the cap is only found while streaming) of `total` bytes. */
function chunked(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent >= total) return c.close();
      const n = Math.min(256 * 1024, total - sent);
      sent += n;
      c.enqueue(new Uint8Array(n).fill(sent % 251));
    },
  });
}

async function newSession(): Promise<string> {
  return (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId as string;
}

describe('multipart uploads leave no parts behind (checked over the S3 wire protocol and on disk)', () => {
  it('an upload over the size cap: 413, no open multipart upload, no part files', async () => {
    const sessionId = await newSession();
    const r = await h.call('POST', `/v1/sessions/${sessionId}/artifacts`, {
      token: KEYS.alice,
      body: chunked(3 * LIMIT),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(r.status).toBe(413);
    expect(await untilEmpty(() => openUploads(h.t))).toEqual([]);
    expect(await partFilesOnDisk(h.t)).toEqual([]);
    expect((await h.call('GET', `/v1/sessions/${sessionId}/artifacts`, { token: KEYS.alice })).body.items).toEqual([]);
  });

  it('an upload the client aborts mid-stream: the open multipart upload is aborted and its parts deleted', async () => {
    const sessionId = await newSession();
    const url = new URL(`${h.url}/v1/sessions/${sessionId}/artifacts`);
    const req = request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
    });
    req.on('error', () => undefined);
    const chunk = Buffer.alloc(256 * 1024, 7);
    // Write until S3 has an open multipart upload with a stored part (more than one part size sent).
    let written = 0;
    const deadline = Date.now() + 30_000;
    while ((await openUploads(h.t)).length === 0 || (await partFilesOnDisk(h.t)).every((f) => !/\/\d+$/.test(f))) {
      if (Date.now() > deadline || written > LIMIT - MiB) throw new Error(`no multipart upload open after ${written} bytes`);
      for (let i = 0; i < 4; i++) {
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        written += chunk.length;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(written).toBeLessThan(LIMIT);
    req.destroy(); // the client goes away mid-upload
    expect(await untilEmpty(() => openUploads(h.t))).toEqual([]);
    expect(await untilEmpty(() => partFilesOnDisk(h.t))).toEqual([]);
    expect((await h.call('GET', `/v1/sessions/${sessionId}/artifacts`, { token: KEYS.alice })).body.items).toEqual([]);
    // the upload place of the user is free again
    const ok = await h.call('POST', `/v1/sessions/${sessionId}/artifacts`, { token: KEYS.alice, body: 'fine', headers: { 'content-type': 'text/plain' } });
    expect(ok.status).toBe(201);
  });
});
