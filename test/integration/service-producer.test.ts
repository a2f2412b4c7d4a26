import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducer, type ServiceProducer } from '../../src/client/service/index.js';
import { ConfigError, NotFoundError, ValidationError } from '../../src/errors/index.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { testRegistry } from '../support/test-workflows.js';

let h: ApiHarness;
let producer: ServiceProducer;
let counters: { disconnect(): void } | undefined;
beforeAll(async () => {
  h = await startApiHarness();
  await h.startWorkers();
  const r = testRegistry(h.t.config.redis, h.t.services.keyPrefix);
  counters = r.redis;
  // built from configuration alone, as a service would (its own connections)
  producer = await createProducer({ env: h.t.env, registry: r.registry });
});
afterAll(async () => {
  await producer?.close();
  counters?.disconnect();
  await h?.cleanup();
});

describe('the in-network producer (createProducer)', () => {
  it('creates, uploads, runs and waits; the API sees the same session, artifacts and job', async () => {
    const alice = producer.forUser('alice');
    const s = await alice.createSession({ metadata: { from: 'service' } });
    const a = await alice.uploadArtifact(s.sessionId, { data: 'a,b\n1,2\n' }, { name: 'x.csv', mimeType: 'text/csv' });
    expect(a).not.toHaveProperty('s3Key');
    const run = await alice.startRun(s.sessionId, { workflow: 'test.numbers', params: { start: 5 } });
    const job = await alice.waitForJob(run.jobId);
    expect(job.state).toBe('completed');
    const viaApi = await h.call('GET', `/v1/jobs/${run.jobId}`, { token: KEYS.alice });
    expect(viaApi.status).toBe(200);
    expect(viaApi.body.state).toBe('completed');
    expect((await h.call('GET', `/v1/artifacts/${a.artifactId}`, { token: KEYS.alice })).body.name).toBe('x.csv');
    expect(await alice.artifactText(a.artifactId)).toBe('a,b\n1,2\n');
  });

  it('messages go through the assistant exactly as over HTTP', async () => {
    const alice = producer.forUser('alice');
    const s = await alice.createSession();
    const sent = await alice.sendMessage(s.sessionId, { content: 'write a report' });
    const job = await alice.waitForJob(sent.jobId);
    expect(job.state).toBe('completed');
    expect((job.result as { outcome: string }).outcome).toBe('asked');
    const msgs = await h.call('GET', `/v1/sessions/${s.sessionId}/messages`, { token: KEYS.alice });
    expect(msgs.body.items.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
  });

  it('tenancy: another user’s session, artifact or job is not found, and nothing is enqueued', async () => {
    const alice = producer.forUser('alice');
    const bob = producer.forUser('bob');
    const s = await alice.createSession();
    const a = await alice.uploadArtifact(s.sessionId, { data: 'x' });
    const run = await alice.startRun(s.sessionId, { workflow: 'test.numbers', params: { start: 1 } });
    await alice.waitForJob(run.jobId);
    const before = await h.jobTotal();
    await expect(bob.startRun(s.sessionId, { workflow: 'test.numbers', params: { start: 1 } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.sendMessage(s.sessionId, { content: 'hi' })).rejects.toBeInstanceOf(NotFoundError);
    const own = await bob.createSession();
    // an artifact id in the parameters or the attachments must be the caller's
    await expect(bob.startRun(own.sessionId, { workflow: 'test.numbers', params: { start: 1, note: a.artifactId } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.sendMessage(own.sessionId, { content: 'hi', artifacts: [a.artifactId] })).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.getJob(run.jobId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.artifactText(a.artifactId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.uploadArtifact(s.sessionId, { data: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await h.jobTotal()).toBe(before);
  });

  it('validation and planning: bad input is the API’s ValidationError and enqueues nothing', async () => {
    const alice = producer.forUser('alice');
    const s = await alice.createSession();
    const before = await h.jobTotal();
    const unknown = await alice.startRun(s.sessionId, { workflow: 'no.such', params: {} }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ValidationError);
    const both = await alice.startRun(s.sessionId, { workflow: 'test.numbers', spec: { workflow: 'test.numbers' } } as never).catch((e: unknown) => e);
    expect(both).toBeInstanceOf(ValidationError);
    // the same message the API gives for the same body
    const api = await h.call('POST', `/v1/sessions/${s.sessionId}/runs`, { token: KEYS.alice, json: { workflow: 'test.numbers', spec: { workflow: 'test.numbers' } } });
    expect(api.status).toBe(400);
    expect((both as Error).message).toBe(api.body.error.message);
    await expect(alice.sendMessage(s.sessionId, { content: '' })).rejects.toBeInstanceOf(ValidationError);
    await expect(alice.sendMessage(s.sessionId, { content: 'x' }, { idempotencyKey: 'has space' })).rejects.toBeInstanceOf(ValidationError);
    await expect(alice.uploadArtifact(s.sessionId, { path: '/nonexistent/file.csv' })).rejects.toThrow(/no such file/);
    expect(await h.jobTotal()).toBe(before);
  });

  it('idempotency keys are the API’s: the same key through the producer and over HTTP gives one job', async () => {
    const alice = producer.forUser('alice');
    const s = await alice.createSession();
    const first = await alice.startRun(s.sessionId, { workflow: 'test.numbers', params: { start: 9 } }, { idempotencyKey: 'nightly-2026-12-01' });
    const second = await alice.startRun(s.sessionId, { workflow: 'test.numbers', params: { start: 9 } }, { idempotencyKey: 'nightly-2026-12-01' });
    expect(second).toEqual({ ...first, duplicate: true });
    const http = await h.call('POST', `/v1/sessions/${s.sessionId}/runs`, {
      token: KEYS.alice,
      headers: { 'idempotency-key': 'nightly-2026-12-01' },
      json: { workflow: 'test.numbers', params: { start: 9 } },
    });
    expect(http.body).toEqual({ jobId: first.jobId, runId: first.runId, duplicate: true });
  });

  it('refuses to start its own embedded storage: it must use the instance’s', async () => {
    const env = { ...h.t.env, DATAOPS_EMBEDDED: 'true' } as Record<string, string | undefined>;
    delete env.DYNAMODB_ENDPOINT;
    delete env.S3_ENDPOINT;
    await expect(createProducer({ env })).rejects.toBeInstanceOf(ConfigError);
  });
});
