import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness({ env: { DATAOPS_UPLOADS_PER_USER: '1' } });
});
afterAll(async () => h?.cleanup());

/** A request body that sends one chunk, then waits until `finish()` before the last one. */
function slowBody() {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const body = new ReadableStream<Uint8Array>({
    async start(c) {
      c.enqueue(new TextEncoder().encode('first part,'));
      await done;
      c.enqueue(new TextEncoder().encode('last part'));
      c.close();
    },
  });
  return { body, finish };
}

describe('parallel uploads per user', () => {
  it('are capped (429 with Retry-After) while one streams; other users are not affected; the place frees when it ends', async () => {
    const alice = (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId;
    const bob = (await h.call('POST', '/v1/sessions', { token: KEYS.bob, json: {} })).body.sessionId;
    const slow = slowBody();
    const first = h.call('POST', `/v1/sessions/${alice}/artifacts`, { token: KEYS.alice, body: slow.body, headers: { 'content-type': 'text/plain' } });
    await new Promise((r) => setTimeout(r, 500)); // the first upload is streaming now
    const second = await h.call('POST', `/v1/sessions/${alice}/artifacts`, { token: KEYS.alice, body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).not.toBeNull();
    expect((await h.call('POST', `/v1/sessions/${bob}/artifacts`, { token: KEYS.bob, body: 'b', headers: { 'content-type': 'text/plain' } })).status).toBe(201);
    slow.finish();
    const r = await first;
    expect(r.status).toBe(201);
    expect((await h.call('GET', `/v1/artifacts/${r.body.artifactId}/content`, { token: KEYS.alice })).text).toBe('first part,last part');
    expect((await h.call('POST', `/v1/sessions/${alice}/artifacts`, { token: KEYS.alice, body: 'again', headers: { 'content-type': 'text/plain' } })).status).toBe(201);
    // A refused or failed upload gives its place back too.
    const bad = await h.call('POST', `/v1/sessions/${alice}/artifacts?artifactType=context`, { token: KEYS.alice, body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(bad.status).toBe(400);
    expect((await h.call('POST', `/v1/sessions/${alice}/artifacts`, { token: KEYS.alice, body: 'fine', headers: { 'content-type': 'text/plain' } })).status).toBe(201);
  });
});
