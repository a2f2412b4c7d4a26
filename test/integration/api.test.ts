import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
  await h.startWorkers();
});
afterAll(async () => h?.cleanup());

const A = KEYS.alice;

async function newSession(token = A): Promise<string> {
  const r = await h.call('POST', '/v1/sessions', { token, json: { metadata: { purpose: 'test' } } });
  expect(r.status).toBe(201);
  return r.body.sessionId as string;
}

describe('probes and documents', () => {
  it('healthz, readyz, openapi and metrics answer without auth', async () => {
    expect((await h.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await h.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { redis: 'ok', dynamodb: 'ok', s3: 'ok' } });
    const doc = await h.call('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/v1/sessions/{id}/messages'].post).toBeDefined();
    await h.call('GET', '/v1/sessions', { token: A });
    const m = await h.call('GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.text).toMatch(/http_requests_total\{method="GET",route="\/v1\/sessions",status="200"\} \d+/);
    expect(m.text).toMatch(/bullmq_jobs\{queue="orchestrator",state="waiting"\} \d+/);
  });

  it('echoes a request id and makes one when none is given', async () => {
    const given = await h.call('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await h.call('GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(given.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('sessions', () => {
  it('creates, reads, lists (paginated) and deletes', async () => {
    const ids = [await newSession(), await newSession(), await newSession()];
    const one = await h.call('GET', `/v1/sessions/${ids[0]}`, { token: A });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ sessionId: ids[0], userId: 'alice', metadata: { purpose: 'test' }, status: 'active' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiHarness['call']>> = await h.call('GET', `/v1/sessions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: A });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((s: { sessionId: string }) => s.sessionId));
      cursor = page.body.nextCursor;
    } while (cursor);
    for (const id of ids) expect(seen).toContain(id);
    expect((await h.call('DELETE', `/v1/sessions/${ids[2]}`, { token: A })).status).toBe(204);
    expect((await h.call('GET', `/v1/sessions/${ids[2]}`, { token: A })).status).toBe(404);
  });
});

describe('artifacts', () => {
  it('uploads a raw body streamed with its type, downloads it with the right headers', async () => {
    const s = await newSession();
    const csv = 'id,name\n1,alpha\n2,beta\n';
    const up = await h.call('POST', `/v1/sessions/${s}/artifacts?name=people.csv&tag=src:test`, {
      token: A,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ sessionId: s, name: 'people.csv', mimeType: 'text/csv', contentType: 'csv', sizeBytes: csv.length, tags: { src: 'test' } });
    const id = up.body.artifactId as string;
    const dl = await h.call('GET', `/v1/artifacts/${id}/content`, { token: A });
    expect(dl.status).toBe(200);
    expect(dl.text).toBe(csv);
    expect(dl.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(dl.headers.get('content-length')).toBe(String(csv.length));
    expect(dl.headers.get('content-disposition')).toContain('filename="people.csv"');
    const meta = await h.call('GET', `/v1/artifacts/${id}`, { token: A });
    expect(meta.body.artifactId).toBe(id);
    const list = await h.call('GET', `/v1/sessions/${s}/artifacts?tag=src:test`, { token: A });
    expect(list.body.items.map((a: { artifactId: string }) => a.artifactId)).toEqual([id]);
    const none = await h.call('GET', `/v1/sessions/${s}/artifacts?tag=src:other`, { token: A });
    expect(none.body.items).toEqual([]);
  });

  it('uploads multipart (name from the filename), shares, shows lineage, deletes', async () => {
    const s = await newSession();
    const target = await newSession();
    const form = new FormData();
    form.append('note', 'ignored field');
    form.append('file', new Blob(['insert_job: demo\n'], { type: 'text/plain' }), 'demo.jil');
    const up = await h.call('POST', `/v1/sessions/${s}/artifacts`, { token: A, body: form });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ name: 'demo.jil', sizeBytes: 17, mimeType: 'text/plain', createdBy: 'alice' });
    const id = up.body.artifactId as string;
    const shared = await h.call('POST', `/v1/artifacts/${id}/share`, { token: A, json: { targetSessionId: target } });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({ sessionId: target, derivedFrom: id });
    const lin = await h.call('GET', `/v1/artifacts/${id}/lineage`, { token: A });
    expect(lin.status).toBe(200);
    expect(lin.body.artifact.artifactId).toBe(id);
    expect((await h.call('DELETE', `/v1/artifacts/${id}`, { token: A })).status).toBe(204);
    expect((await h.call('GET', `/v1/artifacts/${id}`, { token: A })).status).toBe(404);
    const copy = await h.call('GET', `/v1/artifacts/${shared.body.artifactId}/content`, { token: A });
    expect(copy.text).toBe('insert_job: demo\n');
  });
});

describe('context', () => {
  it('snapshots, loads, checkpoints, restores and inherits', async () => {
    const s = await newSession();
    await h.rt.sessions.update(s, { globalContext: { db: 'prod', region: 'eu' } });
    const snap = await h.call('POST', `/v1/sessions/${s}/snapshots`, { token: A, json: {} });
    expect(snap.status).toBe(201);
    expect(snap.body.snapshotId).toMatch(/^art_/);
    const other = await newSession();
    const load = await h.call('POST', `/v1/sessions/${other}/snapshots/${snap.body.snapshotId}/load`, {
      token: A,
      json: { strategy: 'selective', keys: ['db'] },
    });
    expect(load.status).toBe(200);
    expect(load.body).toEqual({ globalContext: { db: 'prod' } });
    const cp = await h.call('POST', `/v1/sessions/${s}/checkpoints`, { token: A, json: { label: 'before' } });
    expect(cp.status).toBe(201);
    expect((await h.call('POST', `/v1/sessions/${s}/checkpoints`, { token: A, json: { label: 'before' } })).status).toBe(409);
    await h.rt.sessions.update(s, { globalContext: { db: 'dev' } });
    const list = await h.call('GET', `/v1/sessions/${s}/checkpoints`, { token: A });
    expect(list.body.items.map((c: { label: string }) => c.label)).toEqual(['before']);
    const restored = await h.call('POST', `/v1/sessions/${s}/checkpoints/before/restore`, { token: A });
    expect(restored.status).toBe(200);
    expect(restored.body.globalContext).toEqual({ db: 'prod', region: 'eu' });
    const third = await newSession();
    const inh = await h.call('POST', `/v1/sessions/${third}/inherit`, { token: A, json: { sourceSessionId: s, keys: ['region'] } });
    expect(inh.status).toBe(200);
    expect(inh.body.globalContext).toEqual({ region: 'eu' });
  });
});

describe('runs and workflows', () => {
  it('lists the workflows with their parameter schemas', async () => {
    const r = await h.call('GET', '/v1/workflows', { token: A });
    expect(r.status).toBe(200);
    const numbers = r.body.workflows.find((w: { name: string }) => w.name === 'test.numbers');
    expect(numbers.inputSchema.properties.start).toBeDefined();
  });

  it('dry run compiles and enqueues nothing; a real run completes', async () => {
    const s = await newSession();
    const spec = { spec: { sequence: [{ workflow: 'test.numbers', params: { start: 2 } }, { workflow: 'test.sum' }] } };
    const before = await h.jobTotal();
    const dry = await h.call('POST', `/v1/sessions/${s}/runs?dryRun=true`, { token: A, json: spec });
    expect(dry.status).toBe(200);
    expect(dry.body.steps.map((x: { workflow: string }) => x.workflow)).toEqual(['test.numbers', 'test.sum']);
    expect(await h.jobTotal()).toBe(before);
    const run = await h.call('POST', `/v1/sessions/${s}/runs`, { token: A, json: spec });
    expect(run.status).toBe(202);
    const done = await h.waitForJob(run.body.jobId);
    expect(done.state).toBe('completed');
    const job = await h.call('GET', `/v1/jobs/${run.body.jobId}`, { token: A });
    expect(job.body).toMatchObject({ jobId: run.body.jobId, kind: 'run', state: 'completed', sessionId: s });
    expect(job.body.userId).toBeUndefined();
    const unknown = await h.call('POST', `/v1/sessions/${s}/runs?dryRun=true`, { token: A, json: { workflow: 'no.such' } });
    expect(unknown.status).toBe(400);
  });
});

describe('messages over HTTP and WebSocket', () => {
  it('the missing-parameter round trip: question, answer, run, reply; every listener gets the events', async () => {
    const s = await newSession();
    const c1 = await h.events(s, A);
    const c2 = await h.events(s, A);
    const first = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'please write a report' } });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ messageId: expect.any(String), jobId: expect.any(String), duplicate: false });
    const ask = await c1.next((e) => e.type === 'reply' && e.jobId === first.body.jobId);
    expect(String(ask.content)).toContain('What should the report be called?');
    await c2.next((e) => e.type === 'reply' && e.jobId === first.body.jobId);
    const session = await h.call('GET', `/v1/sessions/${s}`, { token: A });
    expect(session.body.pendingRequest.workflow).toBe('test.report');

    const second = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'title: "Q3", format markdown' } });
    expect(second.status).toBe(202);
    const reply = await c1.next((e) => e.type === 'reply' && e.jobId === second.body.jobId);
    expect(reply.workflow).toBe('test.report');
    const artifacts = reply.artifacts as string[];
    expect(artifacts).toHaveLength(1);
    for (const c of [c1, c2]) {
      const node = await c.next((e) => e.type === 'node.finished' && (e.artifacts as string[]).includes(artifacts[0]!));
      expect(node.workflow).toBe('test.report');
      await c.next((e) => e.type === 'artifact.created' && e.artifactId === artifacts[0]);
      await c.next((e) => e.type === 'run.finished' && e.status === 'completed');
      await c.next((e) => e.type === 'reply' && e.jobId === second.body.jobId);
    }
    const content = await h.call('GET', `/v1/artifacts/${artifacts[0]}/content`, { token: A });
    expect(content.text).toBe('# Q3\nformat: markdown\n');
    const job = await h.call('GET', `/v1/jobs/${second.body.jobId}`, { token: A });
    expect(job.body.state).toBe('completed');
    const msgs = await h.call('GET', `/v1/sessions/${s}/messages`, { token: A });
    expect(msgs.body.items.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    await c1.close();
    await c2.close();
  });

  it('idempotency: the same key twice gives the same job and one job only (body field or header)', async () => {
    const s = await newSession();
    const before = await h.t.services.redis.keys(`${h.t.services.queuePrefix}:orchestrator:msg-*`);
    const body = { content: 'make numbers starting at 3', idempotencyKey: 'idem-1' };
    const a = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: body });
    const b = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: body });
    const c = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'make numbers starting at 3' }, headers: { 'idempotency-key': 'idem-1' } });
    expect(a.status).toBe(202);
    expect(b.body.jobId).toBe(a.body.jobId);
    expect(c.body.jobId).toBe(a.body.jobId);
    expect([b.body.duplicate, c.body.duplicate]).toEqual([true, true]);
    const after = await h.t.services.redis.keys(`${h.t.services.queuePrefix}:orchestrator:msg-*`);
    const newJobs = new Set(after.filter((k) => !before.includes(k)).map((k) => k.split(':')[2]));
    expect([...newJobs]).toEqual([a.body.jobId]);
    await h.waitForJob(a.body.jobId);
    const msgs = await h.call('GET', `/v1/sessions/${s}/messages`, { token: A });
    expect(msgs.body.items.filter((m: { role: string }) => m.role === 'user')).toHaveLength(1);
    const differ = await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: body, headers: { 'idempotency-key': 'other' } });
    expect(differ.status).toBe(400);
  });
});
