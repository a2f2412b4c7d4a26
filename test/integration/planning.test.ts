import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compoundSpec } from '../../src/planning/compound.js';
import type { RunResult } from '../../src/runtime/job-data.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

/*
 * Artifact kinds and automatic prerequisites on real queues and storage: the planner inserts the
 * producers a step needs, shares them, reuses what the session already derived, and rejects a run
 * it cannot plan before anything is enqueued.
 */

let h: ApiHarness;
let session: string;
const A = KEYS.alice;
const JIL = readFileSync('examples/jil/nightly-etl.jil');
const csv = (tag: string) => ['order_id;customer;amount', `1;Ada;12.5`, `2;Grace;7`, `3;${tag};30.25`].join('\n');

beforeAll(async () => {
  h = await startApiHarness({ workflows: 'builtin', env: { DATAOPS_ARTIFACT_MAX_BYTES: String(4 * 1024 * 1024) } });
  await h.startWorkers();
  session = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId;
});
afterAll(async () => h?.cleanup());

async function upload(body: string | Buffer, contentType: string, name?: string): Promise<{ artifactId: string; kind: string }> {
  const q = name ? `?name=${encodeURIComponent(name)}` : '';
  const r = await h.call('POST', `/v1/sessions/${session}/artifacts${q}`, { token: A, body, headers: { 'content-type': contentType } });
  expect(r.status).toBe(201);
  return r.body;
}

async function run(spec: unknown): Promise<{ runId: string; result: RunResult }> {
  const r = await h.call('POST', `/v1/sessions/${session}/runs`, { token: A, json: spec });
  expect(r.status, r.text).toBe(202);
  const status = await h.waitForJob(r.body.jobId, 60_000);
  expect(status.error).toBeNull();
  return { runId: r.body.runId, result: status.result as RunResult };
}

/** How many node jobs of `workflow` a run enqueued (completed ones are kept). */
async function jobsOf(runId: string, workflow: string): Promise<number> {
  // node jobs live on their workflow family's queue (csv, jil, nodes, …)
  let n = 0;
  for (const q of h.rt.producer.allQueues()) {
    const jobs = await q.getJobs(['completed', 'failed', 'active', 'waiting', 'waiting-children', 'delayed']);
    n += jobs.filter((j) => j?.id?.startsWith(`${runId}.`) && (j.data as { step?: { workflow: string } }).step?.workflow === workflow).length;
  }
  return n;
}

describe('kinds', () => {
  it('an upload records the kind guessed from its name or its first bytes', async () => {
    expect((await upload(JIL, 'text/plain', 'nightly-etl.jil')).kind).toBe('jil');
    expect((await upload(JIL, 'application/octet-stream')).kind).toBe('jil');
    expect((await upload(csv('x'), 'text/plain')).kind).toBe('csv');
    expect((await upload('just a note\n', 'text/plain', 'note.txt')).kind).toBe('text');
    const listed = await h.call('GET', `/v1/sessions/${session}/artifacts?limit=10`, { token: A });
    expect(listed.body.items.every((a: { kind?: unknown }) => typeof a.kind === 'string')).toBe(true);
    const doc = await h.call('GET', '/openapi.json');
    expect(JSON.stringify(doc.body)).toContain('"kind"');
  });
});

describe('prerequisites', () => {
  it('raw JIL to jil.to_airflow: the dry run shows the inserted parse; the run parses, then converts', async () => {
    const raw = await upload(JIL, 'text/plain', 'nightly-etl.jil');
    const spec = { workflow: 'jil.to_airflow', params: { parsedArtifactId: raw.artifactId } };
    const before = await h.jobTotal();
    const dry = await h.call('POST', `/v1/sessions/${session}/runs?dryRun=true`, { token: A, json: spec });
    expect(dry.status).toBe(200);
    expect(dry.body.steps.map((s: { id: string; prerequisite: boolean }) => [s.id, s.prerequisite])).toEqual([
      ['jil_parse.parse', true],
      ['jil_to_airflow.convert', false],
    ]);
    expect(dry.body.prerequisites).toEqual([
      { instance: 'jil_parse', workflow: 'jil.parse', from: raw.artifactId, kind: 'jil.parsed', for: [{ instance: 'jil_to_airflow', param: 'parsedArtifactId' }] },
    ]);
    expect(await h.jobTotal()).toBe(before);

    const { result } = await run(spec);
    const parsedId = result.outputs['jil_parse']!['parsedArtifactId'] as string;
    const parsed = await h.rt.artifacts.peek(parsedId);
    expect(parsed).toMatchObject({ kind: 'jil.parsed', parentArtifacts: [raw.artifactId], derivation: { workflow: 'jil.parse', inputs: [raw.artifactId] } });
    const dags = result.outputs['jil_to_airflow']!['dagArtifactIds'] as string[];
    expect(dags.length).toBeGreaterThan(0);
    expect((await h.rt.artifacts.peek(dags[0]!)).kind).toBe('airflow.dag');
  });

  it('reuse before recompute: the session already parsed this export, so analyze reads that parse', async () => {
    const raw = await upload(JIL, 'text/plain', 'again.jil');
    const first = await run({ workflow: 'jil.parse', params: { jil: raw.artifactId } });
    const parsedId = first.result.outputs['jil_parse']!['parsedArtifactId'] as string;
    const spec = { workflow: 'jil.analyze', params: { parsedArtifactId: raw.artifactId } };
    const dry = await h.call('POST', `/v1/sessions/${session}/runs?dryRun=true`, { token: A, json: spec });
    expect(dry.body.steps.map((s: { workflow: string }) => s.workflow)).toEqual(['jil.analyze', 'jil.analyze']);
    expect(dry.body.reused).toEqual([{ instance: 'jil_analyze', param: 'parsedArtifactId', from: raw.artifactId, artifactId: parsedId, kind: 'jil.parsed', workflow: 'jil.parse' }]);
    const { runId, result } = await run(spec);
    expect(await jobsOf(runId, 'jil.parse')).toBe(0);
    expect(await jobsOf(runId, 'jil.analyze')).toBe(2);
    const analysis = await h.rt.artifacts.peek(result.outputs['jil_analyze']!['analysisArtifactId'] as string);
    expect(analysis).toMatchObject({ kind: 'jil.analysis', parentArtifacts: [parsedId] });
  });

  it('raw CSV to csv.schema_ddl: profiled first, then the DDL', async () => {
    const raw = await upload(csv('Linus'), 'text/csv', 'orders.csv');
    const { runId, result } = await run({ workflow: 'csv.schema_ddl', params: { profileArtifactId: raw.artifactId, dialect: 'postgres' } });
    expect(await jobsOf(runId, 'csv.profile')).toBe(1);
    const ddl = await h.rt.artifacts.getText(result.outputs['csv_schema_ddl']!['ddlArtifactId'] as string);
    expect(ddl).toMatch(/CREATE TABLE/i);
    expect(ddl).toMatch(/order_id/);
  });

  it('a compound request is one flow and runs its shared prerequisite once', async () => {
    const raw = await upload(csv('Barbara'), 'text/csv', 'payments.csv');
    const { spec } = compoundSpec(
      [
        { workflow: 'csv.schema_ddl', params: { profileArtifactId: raw.artifactId, dialect: 'snowflake' } },
        { workflow: 'csv.quality', params: { source: raw.artifactId, profileArtifactId: raw.artifactId } },
      ],
      h.rt.producer.registry,
    );
    const { runId, result } = await run({ spec });
    expect(await jobsOf(runId, 'csv.profile')).toBe(1);
    expect(result.outputs['csv_schema_ddl']!['ddlArtifactId']).toMatch(/^art_/);
    expect(result.outputs['csv_quality']!['reportArtifactId']).toMatch(/^art_/);
  });
});

describe('prerequisites inside a condition branch', () => {
  const branchSpec = (jil: string, csvId: string, op: 'gt' | 'lt') => ({
    sequence: [
      { id: 'parse', workflow: 'jil.parse', params: { jil } },
      // nightly-etl.jil has a handful of jobs: `gt 1000` is false (else taken), `lt 1000` true (then taken)
      {
        condition: { step: 'parse', path: 'jobs', op, value: 1000 },
        then: { workflow: 'csv.schema_ddl', params: { profileArtifactId: csvId, dialect: 'postgres' } },
        else: { workflow: 'jil.analyze', params: { parsedArtifactId: { $from: 'parse.parsedArtifactId' } } },
      },
    ],
  });

  it('the branch is not taken: its inserted csv.profile never runs', async () => {
    const jil = await upload(JIL, 'text/plain', 'nightly.jil');
    const raw = await upload(csv('Hedy'), 'text/csv', 'skipped.csv');
    const { runId, result } = await run({ spec: branchSpec(jil.artifactId, raw.artifactId, 'gt') });
    expect(await jobsOf(runId, 'csv.profile')).toBe(0);
    expect(await jobsOf(runId, 'csv.schema_ddl')).toBe(0);
    expect(await jobsOf(runId, 'jil.analyze')).toBeGreaterThan(0);
    expect(result.outputs['csv_schema_ddl']).toBeUndefined();
  });

  it('the branch is taken: the csv.profile runs once, then the DDL', async () => {
    const jil = await upload(JIL, 'text/plain', 'nightly.jil');
    const raw = await upload(csv('Karen'), 'text/csv', 'taken.csv');
    const { runId, result } = await run({ spec: branchSpec(jil.artifactId, raw.artifactId, 'lt') });
    expect(await jobsOf(runId, 'csv.profile')).toBe(1);
    expect(await jobsOf(runId, 'jil.analyze')).toBe(0);
    expect(await h.rt.artifacts.getText(result.outputs['csv_schema_ddl']!['ddlArtifactId'] as string)).toMatch(/CREATE TABLE/i);
  });
});

describe('a run that cannot be planned is refused whole, and nothing is enqueued or written', () => {
  it('kinds nothing can produce → 400; malformed ids → 400; unknown or foreign ids → 404; missing chain parameters → 400', async () => {
    const png = await upload(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3]), 'image/png', 'diagram.png');
    const raw = await upload(csv('x'), 'text/csv', 'x.csv');
    const bobSession = (await h.call('POST', '/v1/sessions', { token: KEYS.bob, json: {} })).body.sessionId;
    const bobs = (
      await h.call('POST', `/v1/sessions/${bobSession}/artifacts?name=b.jil`, { token: KEYS.bob, body: JIL, headers: { 'content-type': 'text/plain' } })
    ).body.artifactId as string;
    const artifactsBefore = (await h.call('GET', `/v1/sessions/${session}/artifacts?limit=100`, { token: A })).body.items.length;
    const before = await h.jobTotal();
    const cases: [unknown, number, RegExp][] = [
      [{ workflow: 'jil.to_airflow', params: { parsedArtifactId: png.artifactId } }, 400, /needs jil\.parsed .*diagram\.png.* is binary/],
      [{ spec: { sequence: [{ workflow: 'csv.profile', params: { source: raw.artifactId } }, { workflow: 'jil.analyze', params: { parsedArtifactId: raw.artifactId } }] } }, 400, /no workflow turns csv into jil\.parsed/],
      [{ workflow: 'jil.to_airflow', params: { parsedArtifactId: 'art_not-an-id' } }, 400, /not a valid artifact id/],
      [{ workflow: 'jil.to_airflow', params: { parsedArtifactId: 'art_00000000-0000-4000-8000-000000000000' } }, 404, /not found/],
      [{ workflow: 'jil.analyze', params: { parsedArtifactId: bobs } }, 404, /not found/],
      [{ workflow: 'csv.pipeline', params: { source: raw.artifactId } }, 400, /missing dialect/],
      [{ workflow: 'csv.pipeline', params: { source: raw.artifactId, dialect: 'oracle' } }, 400, /invalid parameters/],
    ];
    for (const [body, status, message] of cases) {
      for (const dry of ['', '?dryRun=true']) {
        const r = await h.call('POST', `/v1/sessions/${session}/runs${dry}`, { token: A, json: body });
        expect(r.status, `${JSON.stringify(body)} → ${r.text}`).toBe(status);
        expect(r.body.error.message).toMatch(message);
      }
    }
    expect(await h.jobTotal()).toBe(before);
    expect((await h.call('GET', `/v1/sessions/${session}/artifacts?limit=100`, { token: A })).body.items.length).toBe(artifactsBefore);
  });

  it('the step cap answers 400 (DATAOPS_MAX_PLAN_STEPS)', async () => {
    const before = await h.jobTotal();
    const spec = { sequence: Array.from({ length: 1001 }, () => ({ workflow: 'jil.parse', params: { jil: 'x' } })) };
    const r = await h.call('POST', `/v1/sessions/${session}/runs?dryRun=true`, { token: A, json: { spec } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/more than 1000 steps/);
    expect(await h.jobTotal()).toBe(before);
  });
});
