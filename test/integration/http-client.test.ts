import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type DataOpsClient } from '../../src/client/http/index.js';
import { NotFoundError, RateLimitError, TimeoutError, UnreachableError, ValidationError } from '../../src/errors/index.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
let dir: string;
let client: DataOpsClient;
beforeAll(async () => {
  h = await startApiHarness();
  await h.startWorkers();
  dir = await mkdtemp(join(tmpdir(), 'dataops-client-'));
  client = createClient({ baseUrl: h.url, token: KEYS.alice });
});
afterAll(async () => {
  await h?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fetch that answers the first `n` requests matching `pred` with `status` (and Retry-After) itself, then passes through. */
function flaky(pred: (url: string) => boolean, n: number, status: number, retryAfter?: string) {
  const seen: { url: string; key: string | null; at: number }[] = [];
  let left = n;
  const f = (async (url: string | URL | Request, init?: RequestInit) => {
    const u = String(url);
    if (pred(u)) seen.push({ url: u, key: new Headers(init?.headers).get('idempotency-key'), at: Date.now() });
    if (pred(u) && left-- > 0) {
      return new Response(JSON.stringify({ error: { code: status === 429 ? 'rate_limited' : 'service_unavailable', message: 'try later', details: null } }), {
        status,
        headers: { 'content-type': 'application/json', ...(retryAfter ? { 'retry-after': retryAfter } : {}) },
      });
    }
    return fetch(url, init);
  }) as typeof fetch;
  return { fetch: f, seen };
}

describe('HTTP client against a real server', () => {
  it('uploads a file streamed, starts a run, waits on the WebSocket and reads the result', async () => {
    const s = await client.createSession({ metadata: { from: 'test' } });
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'hello\n'.repeat(5000));
    const a = await client.uploadArtifact(s.sessionId, { path: file });
    expect(a).toMatchObject({ name: 'notes.txt', sizeBytes: 30_000, sessionId: s.sessionId });
    expect(await client.artifactText(a.artifactId)).toBe('hello\n'.repeat(5000));
    const run = await client.startRun(s.sessionId, { workflow: 'test.slow', params: { ms: 1500 } });
    const seen: string[] = [];
    const job = await client.waitForJob(run.jobId, { pollMs: 60_000, onEvent: (e) => seen.push(e.type) });
    // polling every minute: it finished this fast because an event said so
    expect(job.state).toBe('completed');
    expect(seen).toContain('run.finished');
  });

  it('without the event stream, polling still finishes the wait', async () => {
    const s = await client.createSession();
    const run = await client.startRun(s.sessionId, { workflow: 'test.numbers', params: { start: 1 } });
    const noStream = createClient({ baseUrl: h.url, token: KEYS.alice });
    noStream.events = () => Promise.reject(new UnreachableError('no websocket here'));
    const job = await noStream.waitForJob(run.jobId, { pollMs: 100 });
    expect(job.state).toBe('completed');
  });

  it('a failed job resolves with state failed; a wait past its time is a TimeoutError', async () => {
    const s = await client.createSession();
    const run = await client.startRun(s.sessionId, { workflow: 'test.reject', params: {} });
    expect((await client.waitForJob(run.jobId)).state).toBe('failed');
    const slow = await client.startRun(s.sessionId, { workflow: 'test.slow', params: { ms: 3000 } });
    await expect(client.waitForJob(slow.jobId, { timeoutMs: 300 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('errors are the project classes from the API error codes; nothing is retried that should not be', async () => {
    await expect(client.getSession('sess_00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
    const bad = await client.createSession().then((s) => client.startRun(s.sessionId, { workflow: 'no.such', params: {} }).catch((e: unknown) => e));
    expect(bad).toBeInstanceOf(ValidationError);
    const bob = createClient({ baseUrl: h.url, token: KEYS.bob });
    const s = await client.createSession();
    await expect(bob.getSession(s.sessionId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('429 and 503 are retried with the same idempotency key, honouring Retry-After; one job results', async () => {
    const s = await client.createSession();
    const f = flaky((u) => u.endsWith('/runs'), 2, 503, '1');
    const c = createClient({ baseUrl: h.url, token: KEYS.alice, fetch: f.fetch });
    const r = await c.startRun(s.sessionId, { workflow: 'test.numbers', params: { start: 2 } });
    expect(r.duplicate).toBe(false);
    expect(f.seen).toHaveLength(3);
    expect(new Set(f.seen.map((x) => x.key)).size).toBe(1);
    expect(f.seen[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(f.seen[1]!.at - f.seen[0]!.at).toBeGreaterThanOrEqual(900);
    // the same key again (a caller's own retry): the first job
    const again = await client.startRun(s.sessionId, { workflow: 'test.numbers', params: { start: 2 } }, { idempotencyKey: f.seen[0]!.key! });
    expect(again).toEqual({ ...r, duplicate: true });
  });

  it('gives up with the error when retries run out or Retry-After is longer than allowed', async () => {
    const f = flaky((u) => u.endsWith('/v1/sessions'), 10, 429, '2');
    const c = createClient({ baseUrl: h.url, token: KEYS.alice, fetch: f.fetch, retry: { attempts: 2, maxDelayMs: 5000 } });
    const err = await c.createSession().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterSeconds).toBe(2);
    expect(f.seen).toHaveLength(2);
    const g = flaky((u) => u.endsWith('/v1/sessions'), 10, 429, '120');
    const d = createClient({ baseUrl: h.url, token: KEYS.alice, fetch: g.fetch });
    await expect(d.createSession()).rejects.toBeInstanceOf(RateLimitError);
    expect(g.seen).toHaveLength(1);
  });

  it('a server nobody answers for is an UnreachableError after a few quick retries', async () => {
    const c = createClient({ baseUrl: 'http://127.0.0.1:1', token: KEYS.alice, retry: { baseDelayMs: 10 } });
    const err = await c.listSessions().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/^cannot reach the server at http:\/\/127\.0\.0\.1:1 /);
  });

  it('the typed route client covers the rest of the API', async () => {
    const s = await client.createSession();
    const { data } = await client.api.GET('/v1/sessions/{id}/checkpoints', { params: { path: { id: s.sessionId } } });
    expect(data?.items).toEqual([]);
  });
});
