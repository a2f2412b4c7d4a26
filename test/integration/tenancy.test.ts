import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import { NotFoundError } from '../../src/errors/index.js';
import { compilePlan } from '../../src/planning/compile.js';
import type { StepSpec } from '../../src/planning/run-spec.js';
import { enqueuePlan } from '../../src/runtime/flow-builder.js';
import { makeRunId } from '../../src/runtime/job-data.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

/*
 * Tenancy is structural: workflow nodes read artifacts only through a store bound to the run's user
 * and session, so another user's artifact id is "not found" wherever it came from — message text,
 * a nested run spec the API's walk does not reach, or a chain parameter that skipped the API.
 */

const JIL = `insert_job: secret_box   job_type: BOX
owner: bob

insert_job: secret_job   job_type: CMD
box_name: secret_box
command: /opt/bob/secret.sh
machine: bobhost
owner: bob
`;

let h: ApiHarness;
let bobArtifact: string;
let bobSession: string;

beforeAll(async () => {
  h = await startApiHarness({ workflows: 'builtin' });
  await h.startWorkers();
  bobSession = (await h.call('POST', '/v1/sessions', { token: KEYS.bob, json: {} })).body.sessionId;
  const up = await h.call('POST', `/v1/sessions/${bobSession}/artifacts?name=secret.jil`, { token: KEYS.bob, body: JIL, headers: { 'content-type': 'text/plain' } });
  expect(up.status).toBe(201);
  bobArtifact = up.body.artifactId;
}, 60_000);
afterAll(async () => h?.cleanup());

async function aliceSession(): Promise<string> {
  return (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId;
}

/** Bob's artifact was never read (no access counted) and nothing was derived from it. */
async function expectUntouched(): Promise<void> {
  const a = await h.rt.artifacts.peek(bobArtifact);
  expect(a.accessCount).toBe(0);
  expect(a.childArtifacts).toEqual([]);
}

async function aliceArtifacts(sessionId: string): Promise<number> {
  return (await h.rt.artifacts.list(sessionId)).items.length;
}

function nest(depth: number, leaf: StepSpec): StepSpec {
  let spec = leaf;
  for (let i = 0; i < depth; i++) spec = { sequence: [spec] };
  return spec;
}

describe("another user's artifact is not found wherever its id comes from", () => {
  it('in the message text', async () => {
    const s = await aliceSession();
    const sent = await h.call('POST', `/v1/sessions/${s}/messages`, { token: KEYS.alice, json: { content: `parse the JIL file ${bobArtifact}` } });
    expect(sent.status).toBe(202);
    const job = await h.waitForJob(sent.body.jobId, 45_000);
    const result = job.result as OrchestratorResult;
    // refused before anything runs (the planner finds no such artifact for this user), or failed in the node
    expect(['asked', 'failed']).toContain(result.outcome);
    expect(result.reply).toMatch(/not found/);
    expect(result.reply).not.toContain('secret_job');
    expect(await aliceArtifacts(s)).toBe(0);
    await expectUntouched();
  }, 60_000);

  it('in a run spec nested 40 levels deep', async () => {
    const s = await aliceSession();
    const spec = nest(40, { workflow: 'jil.parse', params: { jil: bobArtifact } });
    const r = await h.call('POST', `/v1/sessions/${s}/runs`, { token: KEYS.alice, json: { spec } });
    if (r.status === 202) {
      const job = await h.waitForJob(r.body.jobId, 45_000);
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(/not found/);
    } else {
      expect(r.status).toBe(404);
    }
    expect(await aliceArtifacts(s)).toBe(0);
    await expectUntouched();
  }, 60_000);

  it('as a chain parameter: 404 at the API, refused by the producer, and not found in the node when both are bypassed', async () => {
    const s = await aliceSession();
    const r = await h.call('POST', `/v1/sessions/${s}/runs`, { token: KEYS.alice, json: { workflow: 'jil.pipeline', params: { jil: bobArtifact } } });
    expect(r.status).toBe(404);
    // the producer's whole-run check refuses it too
    const spec: StepSpec = { workflow: 'jil.pipeline', params: { jil: bobArtifact } };
    await expect(h.rt.producer.enqueueRun({ sessionId: s, userId: 'alice', spec })).rejects.toBeInstanceOf(NotFoundError);
    // a flow enqueued past both checks (another producer, a bug) still cannot reach it: the nodes' store is bound to alice
    const run = { runId: makeRunId(s, 'bypass'), sessionId: s, userId: 'alice' };
    const { jobId } = await enqueuePlan(h.rt.producer.queues, compilePlan(spec, h.rt.registry), run, h.rt.config.workers, undefined, true);
    const job = await h.waitForJob(jobId, 45_000);
    expect(job.state).toBe('failed');
    // the run's last job fails because its first step did: that step's error says why
    const failedStep = /:([^:\s]+) failed/.exec(job.error ?? '')?.[1];
    expect(failedStep).toBeDefined();
    expect((await h.rt.producer.getJob(failedStep!)).error).toMatch(/not found/);
    expect(await aliceArtifacts(s)).toBe(0);
    await expectUntouched();
  }, 60_000);

  it("the user's own artifacts in another of their sessions stay usable", async () => {
    const s1 = await aliceSession();
    const s2 = await aliceSession();
    const up = await h.call('POST', `/v1/sessions/${s1}/artifacts?name=mine.jil`, { token: KEYS.alice, body: JIL.replaceAll('bob', 'alice'), headers: { 'content-type': 'text/plain' } });
    const r = await h.call('POST', `/v1/sessions/${s2}/runs`, { token: KEYS.alice, json: { workflow: 'jil.parse', params: { jil: up.body.artifactId } } });
    expect(r.status).toBe(202);
    expect((await h.waitForJob(r.body.jobId, 45_000)).state).toBe('completed');
    expect(await aliceArtifacts(s2)).toBe(1);
  }, 60_000);

  it('a defaultModel outside the operator allow-list is a 400 and creates nothing', async () => {
    const r = await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: { preferences: { defaultModel: 'not-an-offered-model' } } });
    expect(r.status).toBe(400);
    expect(r.text).toContain('defaultModel');
  });
});
