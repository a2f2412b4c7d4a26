import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageRequest } from '../../src/client/requests.js';
import { KEYS, startApiHarness, type ApiHarness, type CallOptions } from '../support/api-harness.js';

let h: ApiHarness;
let s: string; // alice's session
let art: string; // alice's artifact
let snap: string; // a snapshot of s
const A = KEYS.alice;
const unknownSession = () => `sess_${randomUUID()}`;
const unknownArtifact = () => `art_${randomUUID()}`;

beforeAll(async () => {
  h = await startApiHarness();
  s = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId;
  art = (await h.call('POST', `/v1/sessions/${s}/artifacts?name=a.txt`, { token: A, body: 'hello', headers: { 'content-type': 'text/plain' } })).body
    .artifactId;
  snap = (await h.call('POST', `/v1/sessions/${s}/snapshots`, { token: A, json: {} })).body.snapshotId;
  await h.call('POST', `/v1/sessions/${s}/checkpoints`, { token: A, json: { label: 'cp1' } });
});
afterAll(async () => h?.cleanup());

/** Everything a bad request could have changed. */
async function fingerprint() {
  const objects = await h.t.services.s3.send(new ListObjectsV2Command({ Bucket: h.t.services.bucket }));
  const session = await h.rt.sessions.get(s);
  return {
    jobs: await h.jobTotal(),
    sessions: (await h.rt.sessions.listUserSessions('alice', { activeOnly: false, limit: 100 })).items.map((x) => x.sessionId).sort(),
    session: { version: session.version, messageCount: session.messageCount, globalContext: session.globalContext },
    artifacts: (await h.rt.artifacts.list(s, { limit: 100 })).items.map((a) => a.artifactId).sort(),
    checkpoints: (await h.rt.context.listCheckpoints(s)).map((c) => c.label),
    objects: (objects.Contents ?? []).map((o) => o.Key).sort(),
  };
}

type Case = [string, string, CallOptions, number];
const big = 'x'.repeat(70 * 1024); // above the 64 kb JSON limit

function cases(): Case[] {
  const j = (json: unknown): CallOptions => ({ token: A, json });
  return [
    // sessions
    ['POST', '/v1/sessions', j({ metadata: 'not an object' }), 400],
    ['POST', '/v1/sessions', j({ unknownField: 1 }), 400],
    ['POST', '/v1/sessions', j({ preferences: { maxContextMessages: 'ten' } }), 400],
    ['POST', '/v1/sessions', { token: A, body: '{"metadata":', headers: { 'content-type': 'application/json' } }, 400],
    ['POST', '/v1/sessions', { token: A, body: 'metadata=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
    ['POST', '/v1/sessions', j({ metadata: { big } }), 413],
    ['POST', '/v1/sessions?x=1', j({}), 400],
    ['GET', '/v1/sessions?limit=abc', { token: A }, 400],
    ['GET', '/v1/sessions?limit=0', { token: A }, 400],
    ['GET', '/v1/sessions?active=maybe', { token: A }, 400],
    ['GET', '/v1/sessions?bogus=1', { token: A }, 400],
    ['GET', '/v1/sessions/not-a-session', { token: A }, 400],
    ['GET', `/v1/sessions/${unknownSession()}`, { token: A }, 404],
    ['DELETE', '/v1/sessions/sess_123', { token: A }, 400],
    ['DELETE', `/v1/sessions/${unknownSession()}`, { token: A }, 404],
    ['GET', `/v1/sessions/${s}/messages?limit=-1`, { token: A }, 400],
    ['GET', `/v1/sessions/${s}/messages?cursor=`, { token: A }, 400],
    // messages
    ['POST', `/v1/sessions/${s}/messages`, j({}), 400],
    ['POST', `/v1/sessions/${s}/messages`, j({ content: 5 }), 400],
    ['POST', `/v1/sessions/${s}/messages`, j({ content: '' }), 400],
    ['POST', `/v1/sessions/${s}/messages`, j({ content: 'hi', extra: true }), 400],
    ['POST', `/v1/sessions/${s}/messages`, j({ content: 'hi', artifacts: 'art_1' }), 400],
    ['POST', `/v1/sessions/${s}/messages`, j({ content: 'hi', artifacts: ['nope'] }), 400],
    ['POST', `/v1/sessions/${s}/messages`, j({ content: 'hi', artifacts: [unknownArtifact()] }), 404],
    ['POST', `/v1/sessions/${s}/messages`, j({ content: 'hi', idempotencyKey: 'has spaces' }), 400],
    ['POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'hi' }, headers: { 'idempotency-key': 'x y' } }, 400],
    ['POST', `/v1/sessions/${s}/messages`, j({ content: big }), 413],
    ['POST', `/v1/sessions/${s}/messages`, { token: A, body: 'hello', headers: { 'content-type': 'text/plain' } }, 415],
    ['POST', '/v1/sessions/bad-id/messages', j({ content: 'hi' }), 400],
    ['POST', `/v1/sessions/${unknownSession()}/messages`, j({ content: 'hi' }), 404],
    // jobs
    ['GET', '/v1/jobs/bad$id', { token: A }, 400],
    ['GET', '/v1/jobs/msg-unknown', { token: A }, 404],
    // runs
    ['POST', `/v1/sessions/${s}/runs`, j({}), 400],
    ['POST', `/v1/sessions/${s}/runs`, j({ workflow: 5 }), 400],
    ['POST', `/v1/sessions/${s}/runs`, j({ workflow: 'test.numbers', spec: { workflow: 'test.numbers' } }), 400],
    ['POST', `/v1/sessions/${s}/runs`, j({ workflow: 'test.numbers', params: { start: 1 }, extra: 1 }), 400],
    ['POST', `/v1/sessions/${s}/runs`, j({ workflow: 'no.such.workflow' }), 400],
    ['POST', `/v1/sessions/${s}/runs`, j({ workflow: 'test.numbers', params: { start: 'one' } }), 400],
    ['POST', `/v1/sessions/${s}/runs`, j({ spec: { sequence: [] } }), 400],
    [
      'POST',
      `/v1/sessions/${s}/runs`,
      j({
        spec: {
          dag: [
            { id: 'a', workflow: 'test.numbers', params: { start: 1 }, dependsOn: ['b'] },
            { id: 'b', workflow: 'test.sum', dependsOn: ['a'] },
          ],
        },
      }),
      400,
    ],
    ['POST', `/v1/sessions/${s}/runs`, j({ workflow: 'test.numbers', params: { start: 1, file: unknownArtifact() } }), 404],
    ['POST', `/v1/sessions/${s}/runs?dryRun=maybe`, j({ workflow: 'test.numbers', params: { start: 1 } }), 400],
    ['GET', '/v1/workflows?all=1', { token: A }, 400],
    // artifacts
    ['POST', `/v1/sessions/${s}/artifacts?bogus=1`, { token: A, body: 'x', headers: { 'content-type': 'text/plain' } }, 400],
    ['POST', `/v1/sessions/${s}/artifacts?artifactType=weird`, { token: A, body: 'x', headers: { 'content-type': 'text/plain' } }, 400],
    ['POST', `/v1/sessions/${s}/artifacts?tag=novalue`, { token: A, body: 'x', headers: { 'content-type': 'text/plain' } }, 400],
    ['POST', `/v1/sessions/${s}/artifacts`, { token: A, body: 'x'.repeat(300 * 1024), headers: { 'content-type': 'text/plain' } }, 413],
    ['POST', '/v1/sessions/nope/artifacts', { token: A, body: 'x', headers: { 'content-type': 'text/plain' } }, 400],
    ['POST', `/v1/sessions/${unknownSession()}/artifacts`, { token: A, body: 'x', headers: { 'content-type': 'text/plain' } }, 404],
    ['GET', `/v1/sessions/${s}/artifacts?artifactType=nope`, { token: A }, 400],
    ['GET', `/v1/sessions/${s}/artifacts?limit=1000`, { token: A }, 400],
    ['GET', `/v1/sessions/${s}/artifacts?cursor=garbage`, { token: A }, 400],
    ['GET', '/v1/artifacts/not-an-artifact', { token: A }, 400],
    ['GET', `/v1/artifacts/${unknownArtifact()}`, { token: A }, 404],
    ['GET', `/v1/artifacts/${unknownArtifact()}/content`, { token: A }, 404],
    ['GET', `/v1/artifacts/${art}/lineage?direction=sideways`, { token: A }, 400],
    ['GET', `/v1/artifacts/${art}/lineage?maxDepth=1000`, { token: A }, 400],
    ['POST', `/v1/artifacts/${art}/share`, j({}), 400],
    ['POST', `/v1/artifacts/${art}/share`, j({ targetSessionId: 'nope' }), 400],
    ['POST', `/v1/artifacts/${art}/share`, j({ targetSessionId: s, extra: 1 }), 400],
    ['POST', `/v1/artifacts/${art}/share`, j({ targetSessionId: unknownSession() }), 404],
    ['DELETE', '/v1/artifacts/bad', { token: A }, 400],
    ['DELETE', `/v1/artifacts/${unknownArtifact()}`, { token: A }, 404],
    // context
    ['POST', `/v1/sessions/${s}/snapshots`, j({ compress: 'yes' }), 400],
    ['POST', `/v1/sessions/${s}/snapshots`, j({ everything: true }), 400],
    ['POST', `/v1/sessions/${s}/snapshots/${snap}/load`, j({ strategy: 'selective' }), 400],
    ['POST', `/v1/sessions/${s}/snapshots/${snap}/load`, j({ strategy: 'weird' }), 400],
    ['POST', `/v1/sessions/${s}/snapshots/not-a-snapshot/load`, j({ strategy: 'merge' }), 400],
    ['POST', `/v1/sessions/${s}/snapshots/${unknownArtifact()}/load`, j({ strategy: 'merge' }), 404],
    ['POST', `/v1/sessions/${s}/checkpoints`, j({}), 400],
    ['POST', `/v1/sessions/${s}/checkpoints`, j({ label: 'has space' }), 400],
    ['POST', `/v1/sessions/${s}/checkpoints`, j({ label: 'cp1' }), 409],
    ['POST', `/v1/sessions/${s}/checkpoints/nope/restore`, { token: A }, 404],
    ['POST', `/v1/sessions/${s}/checkpoints/bad%20label/restore`, { token: A }, 400],
    ['POST', `/v1/sessions/${s}/checkpoints/cp1/restore`, j({ strategy: 'selective' }), 400],
    ['POST', `/v1/sessions/${s}/inherit`, j({}), 400],
    ['POST', `/v1/sessions/${s}/inherit`, j({ sourceSessionId: 'x' }), 400],
    ['POST', `/v1/sessions/${s}/inherit`, j({ sourceSessionId: unknownSession() }), 404],
    ['POST', `/v1/sessions/${s}/inherit`, j({ sourceSessionId: s, keys: [] }), 400],
    // nowhere
    ['GET', '/v1/nothing-here', { token: A }, 404],
  ];
}

describe('bad input answers 4xx in the error shape and changes nothing', () => {
  it('every endpoint: wrong types, unknown fields, huge bodies, bad ids', async () => {
    const before = await fingerprint();
    const failures: string[] = [];
    for (const [method, path, options, status] of cases()) {
      const r = await h.call(method, path, options);
      const shapeOk =
        r.body && typeof r.body.error?.code === 'string' && typeof r.body.error?.message === 'string' && 'details' in r.body.error;
      if (r.status !== status || !shapeOk) failures.push(`${method} ${path} ${JSON.stringify(options.json ?? '').slice(0, 80)} → ${r.status} ${r.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await fingerprint()).toEqual(before);
  });

  it('validation errors name the bad field', async () => {
    const r = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'hi', extra: true } });
    expect(r.body.error.code).toBe('validation_error');
    expect(r.body.error.message).toContain('extra');
    expect(r.body.error.details[0].path).toEqual(['body']);
  });

  it('too long a message and too large a JSON body say what the limit is', async () => {
    const before = await fingerprint();
    // (this harness's JSON limit is 64 KB; a message's own limit, 100,000 characters, is checked by the schema wherever it arrives)
    const huge = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'y'.repeat(70_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toBe('The request body is larger than the limit of 65536 bytes (upload files with POST /v1/sessions/:id/artifacts, which streams them)');
    const long = MessageRequest.safeParse({ content: 'x'.repeat(100_001) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.message).toBe('a message is at most 100000 characters; attach longer text as a file');
    expect(await fingerprint()).toEqual(before);
  });

  it('an upload streamed past the size limit without a Content-Length is refused and leaves nothing behind', async () => {
    const before = await fingerprint();
    const chunks = function* () {
      for (let i = 0; i < 40; i++) yield Buffer.alloc(10 * 1024, 97);
    };
    const r = await h.call('POST', `/v1/sessions/${s}/artifacts?name=big.bin`, {
      token: A,
      body: Readable.toWeb(Readable.from(chunks())) as unknown as ReadableStream,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    expect(await fingerprint()).toEqual(before);
  });

  it('a multipart body without a file part is a 400', async () => {
    const form = new FormData();
    form.append('note', 'no file here');
    const r = await h.call('POST', `/v1/sessions/${s}/artifacts`, { token: A, body: form });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('no file part');
  });
});
