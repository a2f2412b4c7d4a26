import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
let s: string;
beforeAll(async () => {
  h = await startApiHarness();
  s = (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId;
});
afterAll(async () => h?.cleanup());

describe('every client error is a 4xx', () => {
  it('malformed percent-encoding in a path is a 400, with or without a token', async () => {
    const before = await h.jobTotal();
    for (const path of [`/v1/sessions/%E0%A4%A`, `/v1/sessions/sess_%ZZ`, `/v1/artifacts/%/content`, `/v1/sessions/${s}/messages/%C0%AF`, '/v1/jobs/%FF%FE']) {
      for (const token of [undefined, KEYS.alice, 'not-a-valid-token']) {
        const r = await h.call('GET', path, { token });
        expect(r.status, `${path} token=${token}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${path} token=${token}`).toBeLessThan(500);
      }
    }
    const post = await h.call('POST', `/v1/sessions/%E0%A4%A/messages`, { token: KEYS.alice, json: { content: 'hi' } });
    expect(post.status).toBe(400);
    expect(post.body.error.message).toMatch(/percent-encoding/);
    expect(await h.jobTotal()).toBe(before);
  });

  it('a body whose Content-Encoding does not decode is a 400; an unknown encoding a 415; nothing is enqueued', async () => {
    const before = await h.jobTotal();
    const garbage = Buffer.from('this is not compressed at all');
    const post = (encoding: string, body: Buffer) =>
      h.call('POST', `/v1/sessions/${s}/messages`, {
        token: KEYS.alice,
        body,
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      });
    for (const enc of ['gzip', 'deflate', 'br']) {
      const r = await post(enc, garbage);
      expect(r.status, enc).toBe(400);
      expect(r.body.error.message).toMatch(/Content-Encoding/);
    }
    // a gzip stream cut short
    const truncated = gzipSync(Buffer.from(JSON.stringify({ content: 'hello '.repeat(200) }))).subarray(0, 40);
    expect((await post('gzip', truncated)).status).toBe(400);
    expect((await post('x-made-up', garbage)).status).toBe(415);
    // a valid gzip body still works
    const ok = await post('gzip', gzipSync(Buffer.from(JSON.stringify({ content: 'hello' }))));
    expect(ok.status).toBe(202);
    expect(await h.jobTotal()).toBe(before + 1);
  });

  it('an upload with a Content-Encoding is refused with 415 and stores nothing', async () => {
    const list = async () => (await h.call('GET', `/v1/sessions/${s}/artifacts`, { token: KEYS.alice })).body.items.length as number;
    const before = await list();
    for (const enc of ['gzip', 'br', 'bogus']) {
      const r = await h.call('POST', `/v1/sessions/${s}/artifacts?name=a.csv`, {
        token: KEYS.alice,
        body: Buffer.from('not gzip'),
        headers: { 'content-type': 'text/csv', 'content-encoding': enc },
      });
      expect(r.status, enc).toBe(415);
    }
    expect(await list()).toBe(before);
  });
});
