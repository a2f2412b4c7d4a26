import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDynamo, startEmbeddedS3, type EmbeddedServer } from '../../src/infra/embedded.js';
import { freePort, startLocalRedis, type LocalRedis } from '../../src/infra/local-redis.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { killProcesses, startApiProcess, type TestProcess } from '../support/processes.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

const KEY = 'outage-test-key-0123456789';
const TIMEOUT_MS = 1000;
/** What "a bounded time" means here: the dependency timeout plus a generous margin for a busy machine. */
const BOUND_MS = TIMEOUT_MS + 1500;

describe('while Redis is down (a private redis-server, stopped and started again)', () => {
  let redisDir: string;
  let redis: LocalRedis | undefined;
  let port: number;
  let t: TestServices;
  let child: TestProcess | undefined;

  beforeAll(async () => {
    redisDir = await mkdtemp(join(tmpdir(), 'dataops-outage-redis-'));
    port = await freePort();
    redis = await startLocalRedis({ port, dir: redisDir });
    t = await startTestServices({ REDIS_URL: redis.url, DATAOPS_API_KEYS: `alice:${KEY}`, DATAOPS_DEPENDENCY_TIMEOUT_MS: String(TIMEOUT_MS) });
  });
  afterAll(async () => {
    killProcesses();
    if (!redis) redis = await startLocalRedis({ port, dir: redisDir }).catch(() => undefined);
    await t?.cleanup();
    await redis?.stop();
    await rm(redisDir, { recursive: true, force: true });
  });

  it('every /v1 request answers 503 + Retry-After within the bound, recovers by itself, and every log line stays JSON', async () => {
    // (the SDK's Node-version notice is a process warning printed before any request, not a log line)
    const env: Record<string, string> = { ...t.env, PORT: '0', LOG_LEVEL: 'info', PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const api = await startApiProcess(env, { timeoutMs: 120_000 });
    child = api.p;
    const url = api.url;
    const auth = { authorization: `Bearer ${KEY}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const created = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: json, body: '{}' });
    expect(created.status).toBe(201);
    const { sessionId } = (await created.json()) as { sessionId: string };

    await redis!.stop();
    redis = undefined;
    const requests: [string, string, RequestInit][] = [
      ['GET', '/v1/sessions', { headers: auth }],
      ['GET', `/v1/sessions/${sessionId}`, { headers: auth }],
      ['POST', '/v1/sessions', { headers: json, body: '{}' }],
      ['POST', `/v1/sessions/${sessionId}/messages`, { headers: json, body: JSON.stringify({ content: 'parse this' }) }],
      ['GET', '/v1/workflows', { headers: auth }],
      ['GET', '/v1/jobs/msg-123', { headers: auth }],
      ['GET', '/v1/sessions', {}],
    ];
    // both right after the stop (connection just lost) and a few seconds into the outage
    for (const round of [0, 1]) {
      if (round === 1) await new Promise((r) => setTimeout(r, 3000));
      for (const [method, path, init] of requests) {
        const started = Date.now();
        const r = await fetch(`${url}${path}`, { method, ...init, signal: AbortSignal.timeout(30_000) });
        const ms = Date.now() - started;
        expect(r.status, `${method} ${path}`).toBe(503);
        expect(r.headers.get('retry-after'), `${method} ${path}`).toBe('5');
        expect(((await r.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
        expect(ms, `${method} ${path} took ${ms} ms`).toBeLessThan(BOUND_MS);
      }
    }

    redis = await startLocalRedis({ port, dir: redisDir });
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await fetch(`${url}/v1/sessions`, { headers: auth })).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    // the session written before the outage is still there (DynamoDB holds it; the Redis tail was lost with Redis)
    expect((await fetch(`${url}/v1/sessions/${sessionId}`, { headers: auth })).status).toBe(200);
    const posted = await fetch(`${url}/v1/sessions/${sessionId}/messages`, { method: 'POST', headers: json, body: JSON.stringify({ content: 'parse this' }) });
    expect(posted.status).toBe(202);

    child.child.kill('SIGTERM');
    expect(await child.exit).toBe(0);
    const out = child.out();
    const lines = out.split('\n').filter((l) => l.trim() !== '');
    const notJson = lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    expect(out).toContain('redis connection lost');
    expect(out).toContain('redis connection restored');
  }, 240_000);
});

describe('while DynamoDB or S3 is down', () => {
  let h: ApiHarness;
  let dynamo: EmbeddedServer;
  let s3: EmbeddedServer;
  let s3Dir: string;

  beforeAll(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 'dataops-outage-s3-'));
    dynamo = await startEmbeddedDynamo();
    s3 = await startEmbeddedS3({ dataDir: s3Dir });
    h = await startApiHarness({ env: { DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint, DATAOPS_DEPENDENCY_TIMEOUT_MS: String(TIMEOUT_MS) } });
  });
  afterAll(async () => {
    await h?.cleanup();
    await rm(s3Dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After, not 500', async () => {
    const A = KEYS.alice;
    const s = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
    const art = (await h.call('POST', `/v1/sessions/${s}/artifacts?name=a.txt`, { token: A, body: 'hello', headers: { 'content-type': 'text/plain' } })).body
      .artifactId as string;
    expect(art).toMatch(/^art_/);

    await s3.close();
    const content = await h.call('GET', `/v1/artifacts/${art}/content`, { token: A });
    expect(content.status).toBe(503);
    expect(content.headers.get('retry-after')).toBe('5');
    const upload = await h.call('POST', `/v1/sessions/${s}/artifacts?name=b.txt`, { token: A, body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(upload.status).toBe(503);

    await dynamo.close();
    // (a session read can still be served from its Redis copy; these need DynamoDB)
    for (const [method, path, json] of [
      ['GET', '/v1/sessions', undefined],
      ['POST', '/v1/sessions', {}],
      ['GET', `/v1/artifacts/${art}`, undefined],
      ['POST', `/v1/sessions/${s}/messages`, { content: 'hello' }],
    ] as const) {
      const started = Date.now();
      const r = await h.call(method, path, { token: A, ...(json ? { json } : {}) });
      expect(r.status, `${method} ${path}`).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect(Date.now() - started, `${method} ${path}`).toBeLessThan(10_000);
    }
  });
});
