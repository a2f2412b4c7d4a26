import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACT_PATHS } from '../../src/logger.js';
import { startServer } from '../../producers/server.js';
import { JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET, KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
const A = KEYS.alice;
const B = KEYS.bob;
let s: string; // alice's session
let bobSession: string;
let art: string; // alice's artifact
let job: string; // alice's job
let snap: string; // alice's snapshot
const SECRET_METADATA = 'alice-private-metadata-7f3a';
const SECRET_NAME = 'alice-private-file-9c1d.txt';

const jwt = (o: { sub?: string; aud?: string; iss?: string; exp?: number | string; secret?: string } = {}) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(o.sub ?? 'alice')
    .setIssuer(o.iss ?? JWT_ISSUER)
    .setAudience(o.aud ?? JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(o.exp ?? '5m')
    .sign(new TextEncoder().encode(o.secret ?? JWT_SECRET));

beforeAll(async () => {
  h = await startApiHarness();
  s = (await h.call('POST', '/v1/sessions', { token: A, json: { metadata: { note: SECRET_METADATA } } })).body.sessionId;
  bobSession = (await h.call('POST', '/v1/sessions', { token: B, json: {} })).body.sessionId;
  art = (await h.call('POST', `/v1/sessions/${s}/artifacts?name=${SECRET_NAME}`, { token: A, body: 'secret bytes', headers: { 'content-type': 'text/plain' } }))
    .body.artifactId;
  job = (await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'make numbers starting at 1' } })).body.jobId;
  snap = (await h.call('POST', `/v1/sessions/${s}/snapshots`, { token: A, json: {} })).body.snapshotId;
  await h.call('POST', `/v1/sessions/${s}/checkpoints`, { token: A, json: { label: 'cp' } });
});
afterAll(async () => h?.cleanup());

/** One request per route, each naming alice's resources. */
function routes(): [string, string, unknown?][] {
  return [
    ['GET', '/v1/sessions'],
    ['POST', '/v1/sessions', {}],
    ['GET', `/v1/sessions/${s}`],
    ['DELETE', `/v1/sessions/${s}`],
    ['GET', `/v1/sessions/${s}/messages`],
    ['POST', `/v1/sessions/${s}/messages`, { content: 'hello' }],
    ['GET', `/v1/jobs/${job}`],
    ['POST', `/v1/sessions/${s}/runs`, { workflow: 'test.numbers', params: { start: 1 } }],
    ['POST', `/v1/sessions/${s}/runs?dryRun=true`, { workflow: 'test.numbers', params: { start: 1 } }],
    ['GET', '/v1/workflows'],
    ['GET', `/v1/sessions/${s}/artifacts`],
    ['GET', `/v1/artifacts/${art}`],
    ['GET', `/v1/artifacts/${art}/content`],
    ['GET', `/v1/artifacts/${art}/lineage`],
    ['POST', `/v1/artifacts/${art}/share`, { targetSessionId: s }],
    ['DELETE', `/v1/artifacts/${art}`],
    ['POST', `/v1/sessions/${s}/snapshots`, {}],
    ['POST', `/v1/sessions/${s}/snapshots/${snap}/load`, { strategy: 'merge' }],
    ['POST', `/v1/sessions/${s}/checkpoints`, { label: 'x' }],
    ['GET', `/v1/sessions/${s}/checkpoints`],
    ['POST', `/v1/sessions/${s}/checkpoints/cp/restore`, {}],
    ['POST', `/v1/sessions/${s}/inherit`, { sourceSessionId: s }],
  ];
}

const noLeak = (text: string) => {
  for (const secret of [SECRET_METADATA, SECRET_NAME, 'secret bytes', '"userId":"alice"', A, B, KEYS.admin, JWT_SECRET]) expect(text).not.toContain(secret);
};

describe('authentication matrix', () => {
  it('every route refuses missing, malformed, wrong, expired, wrong-audience and wrong-issuer credentials with 401', async () => {
    const bad: [string, Record<string, string>][] = [
      ['none', {}],
      ['basic', { authorization: 'Basic YWxpY2U6eA==' }],
      ['empty bearer', { authorization: 'Bearer' }],
      ['two tokens', { authorization: `Bearer ${A} extra` }],
      ['wrong key', { authorization: 'Bearer test-key-alice-WRONG' }],
      ['expired jwt', { authorization: `Bearer ${await jwt({ exp: Math.floor(Date.now() / 1000) - 120 })}` }],
      ['wrong audience', { authorization: `Bearer ${await jwt({ aud: 'someone-else' })}` }],
      ['wrong issuer', { authorization: `Bearer ${await jwt({ iss: 'https://evil.test' })}` }],
      ['wrong secret', { authorization: `Bearer ${await jwt({ secret: 'not-the-secret-not-the-secret-0000' })}` }],
    ];
    const jobsBefore = await h.jobTotal();
    const failures: string[] = [];
    for (const [label, headers] of bad) {
      for (const [method, path, json] of routes()) {
        const r = await h.call(method, path, { headers, ...(json !== undefined ? { json } : {}) });
        if (r.status !== 401 || r.body?.error?.code !== 'unauthorized' || r.headers.get('www-authenticate') !== 'Bearer') {
          failures.push(`${label}: ${method} ${path} → ${r.status}`);
        }
        noLeak(r.text);
      }
    }
    expect(failures).toEqual([]);
    expect(await h.jobTotal()).toBe(jobsBefore);
    expect((await h.call('GET', `/v1/sessions/${s}`, { token: A })).status).toBe(200);
    expect((await h.call('GET', `/v1/artifacts/${art}`, { token: A })).status).toBe(200);
  });

  it('says why a JWT was refused without echoing it', async () => {
    const expired = await jwt({ exp: Math.floor(Date.now() / 1000) - 120 });
    const r = await h.call('GET', '/v1/sessions', { token: expired });
    expect(r.body.error.message).toBe('Token expired');
    expect(r.text).not.toContain(expired);
  });

  it('a valid JWT acts as its subject', async () => {
    const r = await h.call('GET', `/v1/sessions/${s}`, { token: await jwt({ sub: 'alice' }) });
    expect(r.status).toBe(200);
    expect(r.body.metadata.note).toBe(SECRET_METADATA);
    const asCarol = await h.call('GET', `/v1/sessions/${s}`, { token: await jwt({ sub: 'carol' }) });
    expect(asCarol.status).toBe(404);
  });
});

describe('authorization: another user sees 404, exactly like an unknown id, and nothing else', () => {
  it("bob gets 404 on every one of alice's resources, with no data in the body, and nothing changes", async () => {
    const jobsBefore = await h.jobTotal();
    const failures: string[] = [];
    for (const [method, path, json] of routes()) {
      if (path === '/v1/sessions' || path === '/v1/workflows') continue; // bob's own listing / public registry
      const r = await h.call(method, path, { token: B, ...(json !== undefined ? { json } : {}) });
      if (r.status !== 404) failures.push(`${method} ${path} → ${r.status} ${r.text.slice(0, 120)}`);
      noLeak(r.text);
    }
    expect(failures).toEqual([]);
    expect(await h.jobTotal()).toBe(jobsBefore);
    // alice's things are all still there
    expect((await h.call('GET', `/v1/sessions/${s}`, { token: A })).status).toBe(200);
    expect((await h.call('GET', `/v1/artifacts/${art}/content`, { token: A })).text).toBe('secret bytes');
    expect((await h.call('GET', `/v1/sessions/${s}/checkpoints`, { token: A })).body.items).toHaveLength(1);
  });

  it("the 404 for someone else's id is the same as for an id that does not exist", async () => {
    const ghost = `sess_${randomUUID()}`;
    const theirs = await h.call('GET', `/v1/sessions/${s}`, { token: B });
    const missing = await h.call('GET', `/v1/sessions/${ghost}`, { token: B });
    expect(theirs.body.error.message.replace(s, 'X')).toBe(missing.body.error.message.replace(ghost, 'X'));
    const ghostArt = `art_${randomUUID()}`;
    const a1 = await h.call('GET', `/v1/artifacts/${art}`, { token: B });
    const a2 = await h.call('GET', `/v1/artifacts/${ghostArt}`, { token: B });
    expect(a1.body.error.message.replace(art, 'X')).toBe(a2.body.error.message.replace(ghostArt, 'X'));
  });

  it("bob's listing shows only bob's sessions; alice cannot attach bob's artifacts or share into bob's session", async () => {
    const list = await h.call('GET', '/v1/sessions?active=false', { token: B });
    expect(list.body.items.map((x: { sessionId: string }) => x.sessionId)).toEqual([bobSession]);
    noLeak(list.text);
    const bobArt = (await h.call('POST', `/v1/sessions/${bobSession}/artifacts`, { token: B, body: 'bob', headers: { 'content-type': 'text/plain' } })).body
      .artifactId;
    const attach = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'parse it', artifacts: [bobArt] } });
    expect(attach.status).toBe(404);
    const viaParams = await h.call('POST', `/v1/sessions/${s}/runs?dryRun=true`, { token: A, json: { workflow: 'test.numbers', params: { start: 1, src: bobArt } } });
    expect(viaParams.status).toBe(404);
    const share = await h.call('POST', `/v1/artifacts/${art}/share`, { token: A, json: { targetSessionId: bobSession } });
    expect(share.status).toBe(404);
    const inherit = await h.call('POST', `/v1/sessions/${bobSession}/inherit`, { token: B, json: { sourceSessionId: s } });
    expect(inherit.status).toBe(404);
    const load = await h.call('POST', `/v1/sessions/${bobSession}/snapshots/${snap}/load`, { token: B, json: { strategy: 'replace' } });
    expect(load.status).toBe(404);
    expect((await h.rt.sessions.get(bobSession)).globalContext).toEqual({});
  });
});

describe('Bull Board', () => {
  it('is closed to anonymous (401) and to non-admins (403), open to admins, API routes included', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/anything']) {
      expect((await h.call('GET', path)).status, path).toBe(401);
      expect((await h.call('GET', path, { token: A })).status, path).toBe(403);
      expect((await h.call('GET', path, { token: 'wrong' })).status, path).toBe(401);
    }
    const ui = await h.call('GET', '/admin/queues', { token: KEYS.admin });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('<base href="/admin/queues');
    const api = await h.call('GET', '/admin/queues/api/queues', { token: KEYS.admin });
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['flows', 'maintenance', 'nodes', 'orchestrator']);
    const retry = await h.call('PUT', '/admin/queues/api/queues/orchestrator/retry/failed', { token: A });
    expect(retry.status).toBe(403);
  });

  it('browser sign-in sets an HttpOnly SameSite cookie for admins only', async () => {
    const form = (token: string) => ({ body: new URLSearchParams({ token }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const page = await h.call('GET', '/admin/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post" action="/admin/login">');
    expect((await h.call('POST', '/admin/login', form(A))).status).toBe(403);
    expect((await h.call('POST', '/admin/login', form('nope'))).status).toBe(401);
    const res = await fetch(`${h.url}/admin/login`, { method: 'POST', redirect: 'manual', ...form(KEYS.admin) });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^dataops_admin=[A-Za-z0-9_-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/admin');
    expect(cookie).not.toContain(KEYS.admin);
    const pair = cookie.split(';')[0]!;
    expect((await h.call('GET', '/admin/queues/api/queues', { headers: { cookie: pair } })).status).toBe(200);
    expect((await h.call('GET', '/admin/queues/api/queues', { headers: { cookie: 'dataops_admin=forged-value-forged-value-1234' } })).status).toBe(401);
    // the cookie is worth nothing outside /admin
    expect((await h.call('GET', '/v1/sessions', { headers: { cookie: pair } })).status).toBe(401);
    expect((await h.call('POST', '/admin/logout', { headers: { cookie: pair } })).status).toBe(204);
    expect((await h.call('GET', '/admin/queues/api/queues', { headers: { cookie: pair } })).status).toBe(401);
  });

  it('sends a browser without a cookie to the sign-in form, and shows the form again after a bad key', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    const nav = await fetch(`${h.url}/admin/queues`, { redirect: 'manual', headers: html });
    expect(nav.status).toBe(303);
    expect(nav.headers.get('location')).toBe('/admin/login');
    // API clients still get JSON
    expect((await h.call('GET', '/admin/queues', { headers: { accept: 'application/json' } })).status).toBe(401);
    const form = (token: string) => ({ body: new URLSearchParams({ token }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...html } });
    const wrong = await h.call('POST', '/admin/login', form('not-a-key'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/text\/html/);
    expect(wrong.text).toContain('role="alert"');
    expect(wrong.text).toContain('<form method="post" action="/admin/login">');
    expect(wrong.text).not.toContain('not-a-key');
    const notAdmin = await h.call('POST', '/admin/login', form(A));
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.text).toContain('is not an admin');
    expect(notAdmin.text).not.toContain(A);
  });
});

describe('WebSocket auth', () => {
  const open = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string } | 'open'>((resolve) => {
      const ws = new WebSocket(`${h.url.replace('http', 'ws')}${path}`, { headers });
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.on('error', () => undefined);
    });

  it('refuses before upgrading: 401 without or with a bad token, 404 for another user, 400 for a bad id', async () => {
    expect(await open(`/v1/sessions/${s}/events`)).toMatchObject({ status: 401 });
    expect(await open(`/v1/sessions/${s}/events?token=wrong`)).toMatchObject({ status: 401 });
    expect(await open(`/v1/sessions/${s}/events`, { authorization: 'Bearer nope' })).toMatchObject({ status: 401 });
    const other = await open(`/v1/sessions/${s}/events`, { authorization: `Bearer ${B}` });
    expect(other).toMatchObject({ status: 404 });
    if (other !== 'open') {
      expect(JSON.parse(other.body).error.code).toBe('not_found');
      noLeak(other.body);
    }
    expect(await open('/v1/sessions/bad/events', { authorization: `Bearer ${A}` })).toMatchObject({ status: 400 });
    expect(await open('/v1/elsewhere', { authorization: `Bearer ${A}` })).toMatchObject({ status: 404 });
    expect(await open(`/v1/sessions/${s}/events`, { authorization: `Bearer ${A}` })).toBe('open');
    expect(await open(`/v1/sessions/${s}/events?token=${encodeURIComponent(A)}`)).toBe('open');
  });
});

describe('logs', () => {
  it('carry no tokens, no cookies and no bodies', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const log = pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    const srv = await startServer(h.rt, { log, port: 0, host: '127.0.0.1', drainMs: 1000, app: { authFailuresPerMinute: 100_000 } });
    try {
      const body = JSON.stringify({ content: 'BODY-MARKER-5521' });
      await fetch(`${srv.url}/v1/sessions/${s}/messages`, { method: 'POST', headers: { authorization: `Bearer ${A}`, 'content-type': 'application/json', cookie: 'c=COOKIE-MARKER' }, body });
      await fetch(`${srv.url}/v1/sessions`, { headers: { authorization: 'Bearer WRONG-TOKEN-MARKER' } });
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/v1/sessions/${s}/events?token=${encodeURIComponent(A)}`);
        ws.on('message', () => {
          ws.close();
          resolve();
        });
      });
      const bad = new WebSocket(`${srv.url.replace('http', 'ws')}/v1/sessions/${s}/events?token=QUERY-TOKEN-MARKER`);
      await new Promise<void>((resolve) => {
        bad.on('unexpected-response', () => resolve());
        bad.on('error', () => resolve());
      });
    } finally {
      await srv.close();
    }
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(2);
    expect(all).toContain('"statusCode":202');
    for (const secret of [A, 'WRONG-TOKEN-MARKER', 'QUERY-TOKEN-MARKER', 'COOKIE-MARKER', 'BODY-MARKER-5521']) expect(all).not.toContain(secret);
  });
});
