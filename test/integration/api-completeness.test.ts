import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
const A = KEYS.alice;
const B = KEYS.bob;

beforeAll(async () => {
  h = await startApiHarness();
  await h.startWorkers();
});
afterAll(async () => {
  await h?.cleanup();
});

async function session(token: string = A): Promise<string> {
  const r = await h.call('POST', '/v1/sessions', { token, json: {} });
  expect(r.status).toBe(201);
  return r.body.sessionId as string;
}

async function upload(sessionId: string, text: string, name: string, token: string = A): Promise<string> {
  const r = await h.call('POST', `/v1/sessions/${sessionId}/artifacts?name=${name}`, { token, body: text, headers: { 'content-type': 'text/plain' } });
  expect(r.status).toBe(201);
  return r.body.artifactId as string;
}

describe('PATCH /v1/sessions/:id', () => {
  it('changes preferences, globalContext and metadata; refuses other fields and other users', async () => {
    const s = await session();
    const r = await h.call('PATCH', `/v1/sessions/${s}`, {
      token: A,
      json: { preferences: { maxContextMessages: 7 }, globalContext: { team: 'etl' }, metadata: { title: 'Nightly migration' } },
    });
    expect(r.status).toBe(200);
    expect(r.body.preferences.maxContextMessages).toBe(7);
    const stored = await h.rt.sessions.get(s);
    expect(stored.globalContext).toEqual({ team: 'etl' });
    expect(stored.metadata).toEqual({ title: 'Nightly migration' });
    expect(stored.preferences.maxContextMessages).toBe(7);

    for (const json of [{}, { status: 'expired' }, { artifactRefs: [] }, { preferences: { maxContextMessages: 0 } }, { pendingRequest: null }]) {
      const bad = await h.call('PATCH', `/v1/sessions/${s}`, { token: A, json });
      expect(bad.status, JSON.stringify(json)).toBe(400);
    }
    expect((await h.call('PATCH', `/v1/sessions/${s}`, { token: B, json: { globalContext: { stolen: true } } })).status).toBe(404);
    expect((await h.rt.sessions.get(s)).globalContext).toEqual({ team: 'etl' });
  });
});

describe('snapshots and checkpoints', () => {
  it('lists snapshots with the checkpoints naming them, and deletes a checkpoint with its snapshot', async () => {
    const s = await session();
    await h.rt.sessions.update(s, { globalContext: { v: 1 } });
    const snap = await h.call('POST', `/v1/sessions/${s}/snapshots`, { token: A, json: {} });
    expect(snap.status).toBe(201);
    const cp = await h.call('POST', `/v1/sessions/${s}/checkpoints`, { token: A, json: { label: 'before-change' } });
    expect(cp.status).toBe(201);

    const list = await h.call('GET', `/v1/sessions/${s}/snapshots`, { token: A });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    const ids = list.body.items.map((i: { snapshotId: string }) => i.snapshotId);
    expect(ids).toContain(snap.body.snapshotId);
    expect(ids).toContain(cp.body.snapshotId);
    expect(list.body.items.find((i: { snapshotId: string }) => i.snapshotId === cp.body.snapshotId).checkpoints).toEqual(['before-change']);
    expect((await h.call('GET', `/v1/sessions/${s}/snapshots`, { token: B })).status).toBe(404);

    expect((await h.call('DELETE', `/v1/sessions/${s}/checkpoints/before-change`, { token: B })).status).toBe(404);
    expect((await h.call('DELETE', `/v1/sessions/${s}/checkpoints/before-change`, { token: A })).status).toBe(204);
    expect((await h.call('DELETE', `/v1/sessions/${s}/checkpoints/before-change`, { token: A })).status).toBe(404);
    expect((await h.call('DELETE', `/v1/sessions/${s}/checkpoints/bad%20label`, { token: A })).status).toBe(400);
    const cps = await h.call('GET', `/v1/sessions/${s}/checkpoints`, { token: A });
    expect(cps.body.items).toEqual([]);
    const after = await h.call('GET', `/v1/sessions/${s}/snapshots`, { token: A });
    expect(after.body.items.map((i: { snapshotId: string }) => i.snapshotId)).toEqual([snap.body.snapshotId]);
  });

  it('compresses on demand without touching the stored context unless asked, keeping the original in a checkpoint', async () => {
    const s = await session();
    const big = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`note_${i}`, `a long remark number ${i} about the nightly ETL `.repeat(4)]));
    await h.rt.sessions.update(s, { globalContext: big });
    const dry = await h.call('POST', `/v1/sessions/${s}/context/compress`, { token: A, json: { maxTokens: 200 } });
    expect(dry.status).toBe(200);
    expect(dry.body.saved).toBe(false);
    expect(JSON.stringify(dry.body.globalContext).length).toBeLessThan(JSON.stringify(big).length);
    expect((await h.rt.sessions.get(s)).globalContext).toEqual(big);

    const saved = await h.call('POST', `/v1/sessions/${s}/context/compress`, { token: A, json: { maxTokens: 200, save: true } });
    expect(saved.status).toBe(200);
    expect(saved.body.saved).toBe(true);
    expect((await h.rt.sessions.get(s)).globalContext).toEqual(saved.body.globalContext);
    const restore = await h.call('POST', `/v1/sessions/${s}/checkpoints/${saved.body.checkpoint}/restore`, { token: A, json: {} });
    expect(restore.status).toBe(200);
    expect((await h.rt.sessions.get(s)).globalContext).toEqual(big);
    expect((await h.call('POST', `/v1/sessions/${s}/context/compress`, { token: A, json: { maxTokens: 1 } })).status).toBe(400);
    expect((await h.call('POST', `/v1/sessions/${s}/context/compress`, { token: B, json: {} })).status).toBe(404);
  });
});

describe('POST /v1/artifacts/:id/parents', () => {
  it('links lineage, refuses cycles, self-links and other users’ artifacts', async () => {
    const s = await session();
    const raw = await upload(s, 'id,name\n1,a\n', 'raw.csv');
    const clean = await upload(s, 'id,name\n1,a\n', 'clean.csv');
    const linked = await h.call('POST', `/v1/artifacts/${clean}/parents`, { token: A, json: { parentId: raw } });
    expect(linked.status).toBe(200);
    expect(linked.body.parentArtifacts).toEqual([raw]);
    const lineage = await h.call('GET', `/v1/artifacts/${raw}/lineage`, { token: A });
    expect(lineage.body.descendants.map((a: { artifactId: string }) => a.artifactId)).toEqual([clean]);

    const cycle = await h.call('POST', `/v1/artifacts/${raw}/parents`, { token: A, json: { parentId: clean } });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.message).toMatch(/cycle/i);
    expect((await h.call('POST', `/v1/artifacts/${raw}/parents`, { token: A, json: { parentId: raw } })).status).toBe(400);
    expect((await h.rt.artifacts.peek(raw)).parentArtifacts).toEqual([]);

    const bobs = await upload(await session(B), 'x\n1\n', 'bob.csv', B);
    expect((await h.call('POST', `/v1/artifacts/${clean}/parents`, { token: A, json: { parentId: bobs } })).status).toBe(404);
    expect((await h.call('POST', `/v1/artifacts/${bobs}/parents`, { token: A, json: { parentId: clean } })).status).toBe(404);
    expect((await h.rt.artifacts.peek(bobs)).parentArtifacts).toEqual([]);
    expect((await h.call('POST', `/v1/artifacts/${clean}/parents`, { token: A, json: { parentId: 'nope' } })).status).toBe(400);
  });
});

describe('jobs: wait and cancel', () => {
  it('?wait= holds the answer until the job has finished', async () => {
    const s = await session();
    const run = await h.call('POST', `/v1/sessions/${s}/runs`, { token: A, json: { workflow: 'test.slow', params: { ms: 300 } } });
    expect(run.status).toBe(202);
    const r = await h.call('GET', `/v1/jobs/${run.body.jobId}?wait=20`, { token: A });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('completed');
    expect(r.body.result.outputs).toBeDefined();
    expect((await h.call('GET', `/v1/jobs/${run.body.jobId}?wait=61`, { token: A })).status).toBe(400);
    expect((await h.call('GET', `/v1/jobs/${run.body.jobId}?wait=5`, { token: B })).status).toBe(404);
  });

  it("a run's result and a step's result read whole: state, outputs and every list, however compactly the step stored it", async () => {
    const s = await session();
    const spec = { sequence: [{ workflow: 'test.slow', params: { ms: 10 } }, { workflow: 'test.slow', params: { ms: 10 } }] };
    const run = await h.call('POST', `/v1/sessions/${s}/runs`, { token: A, json: { spec } });
    expect(run.status).toBe(202);
    const done = await h.call('GET', `/v1/jobs/${run.body.jobId}?wait=20`, { token: A });
    expect(done.body.state).toBe('completed');
    const whole = { state: expect.any(Object), outputs: expect.any(Object), artifacts: [], allArtifacts: [], failed: [], skipped: [] };
    expect(done.body.result).toMatchObject(whole);
    // the first step is a child in the flow: BullMQ holds its compact form, the API shows it whole
    const step = String(run.body.jobId).slice(String(run.body.runId).length + 1);
    const firstId = `${run.body.runId}.${step.replace(/_2\./, '.')}`;
    expect(firstId).not.toBe(run.body.jobId);
    const stored = (await h.rt.producer.queues.nodes.getJob(firstId))!.returnvalue as Record<string, unknown>;
    expect(stored).not.toHaveProperty('skipped');
    const first = await h.call('GET', `/v1/jobs/${firstId}`, { token: A });
    expect(first.status).toBe(200);
    expect(first.body.result).toMatchObject(whole);
    expect((await h.call('GET', `/v1/jobs/${firstId}`, { token: B })).status).toBe(404);
  });

  it('cancel stops a run after its active step: later steps never start, the run fails as cancelled', async () => {
    const s = await session();
    const spec = { sequence: [{ workflow: 'test.slow', params: { ms: 1500 } }, { workflow: 'test.numbers', params: { start: 1 } }] };
    const run = await h.call('POST', `/v1/sessions/${s}/runs`, { token: A, json: { spec } });
    expect(run.status).toBe(202);
    const jobId = run.body.jobId as string;
    // wait until the slow step is running
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await h.rt.producer.queues.nodes.getActiveCount()) === 0) await new Promise((r) => setTimeout(r, 50));
    expect((await h.call('POST', `/v1/jobs/${jobId}/cancel`, { token: B })).status).toBe(404);
    const c = await h.call('POST', `/v1/jobs/${jobId}/cancel`, { token: A });
    expect(c.status).toBe(200);
    expect(c.body.cancelled).toBe(true);
    const done = await h.call('GET', `/v1/jobs/${jobId}?wait=30`, { token: A });
    expect(done.body.state).toBe('failed');
    expect(done.body.error).toContain('cancelled at your request');
    // a finished job is left as it is
    const again = await h.call('POST', `/v1/jobs/${jobId}/cancel`, { token: A });
    expect(again.body).toMatchObject({ cancelled: false, state: 'failed' });
  });

  it('cancel removes the steps of a run that have not started, and the run ends as cancelled', async () => {
    const s = await session();
    const spec = { parallel: [{ workflow: 'test.slow', params: { ms: 50 } }, { workflow: 'test.slow', params: { ms: 50 } }] };
    const nodes = h.rt.producer.queues.nodes;
    await nodes.pause(); // nothing starts, so every leaf is still waiting when the cancel comes
    try {
      const run = await h.call('POST', `/v1/sessions/${s}/runs`, { token: A, json: { spec } });
      expect(run.status).toBe(202);
      const c = await h.call('POST', `/v1/jobs/${run.body.jobId}/cancel`, { token: A });
      expect(c.status).toBe(200);
      expect(c.body).toMatchObject({ cancelled: true });
      expect(c.body.removed).toBe(2);
      await nodes.resume();
      const done = await h.call('GET', `/v1/jobs/${run.body.jobId}?wait=30`, { token: A });
      expect(done.body.state).toBe('failed');
      expect(done.body.error).toContain('cancelled at your request');
    } finally {
      await nodes.resume();
    }
  });
});
