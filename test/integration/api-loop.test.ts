import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

/*
 * The full loop over the API with the real built-in workflows: upload a JIL file, ask to parse it,
 * watch the events arrive on the WebSocket, read the reply and the artifact it produced.
 * It needs a built-in JIL workflow; until one is registered the suite is skipped (and says so).
 */
const jilWorkflow = registerBuiltins(new WorkflowRegistry())
  .capabilities()
  .map((c) => c.name)
  .filter((n) => /jil/i.test(n))
  .sort((a, b) => Number(/parse/i.test(b)) - Number(/parse/i.test(a)))[0];

const JIL = `/* demo schedule written for this test */
insert_job: demo_box   job_type: BOX
owner: etl
description: "nightly load"

insert_job: demo_extract   job_type: CMD
box_name: demo_box
command: /opt/etl/extract.sh
machine: etlhost
owner: etl

insert_job: demo_load   job_type: CMD
box_name: demo_box
command: /opt/etl/load.sh
machine: etlhost
owner: etl
condition: s(demo_extract)
`;

let h: ApiHarness;
const A = KEYS.alice;

describe.skipIf(!jilWorkflow)(`full loop over the API (built-in workflow: ${jilWorkflow ?? 'NONE REGISTERED YET — skipped'})`, () => {
  beforeAll(async () => {
    h = await startApiHarness({ workflows: 'builtin' });
    await h.startWorkers();
  });
  afterAll(async () => h?.cleanup());

  it('upload a JIL → ask to parse it → events arrive → reply and artifact readable', async () => {
    const workflows = await h.call('GET', '/v1/workflows', { token: A });
    expect(workflows.body.workflows.map((w: { name: string }) => w.name)).toContain(jilWorkflow);
    const s = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
    const up = await h.call('POST', `/v1/sessions/${s}/artifacts?name=demo.jil`, { token: A, body: JIL, headers: { 'content-type': 'text/plain' } });
    expect(up.status).toBe(201);
    const events = await h.events(s, A);
    const sent = await h.call('POST', `/v1/sessions/${s}/messages`, {
      token: A,
      json: { content: 'parse this JIL file and tell me what jobs it defines', artifacts: [up.body.artifactId] },
    });
    expect(sent.status).toBe(202);
    const reply = await events.next((e) => e.type === 'reply' && e.jobId === sent.body.jobId, 45_000);
    const job = await h.waitForJob(sent.body.jobId);
    expect(job.state).toBe('completed');
    expect((job.result as { outcome: string }).outcome, String(reply.content)).toBe('succeeded');
    expect(String(reply.content).length).toBeGreaterThan(0);
    await events.next((e) => e.type === 'node.started');
    await events.next((e) => e.type === 'node.finished');
    await events.next((e) => e.type === 'run.finished' && e.status === 'completed');
    const produced = reply.artifacts as string[];
    expect(produced.length).toBeGreaterThan(0);
    await events.next((e) => e.type === 'artifact.created' && produced.includes(e.artifactId as string));
    for (const id of produced) {
      const content = await h.call('GET', `/v1/artifacts/${id}/content`, { token: A });
      expect(content.status).toBe(200);
      expect(content.text.length).toBeGreaterThan(0);
    }
    // the parse saw every job of the file
    const all = (await Promise.all(produced.map((id) => h.call('GET', `/v1/artifacts/${id}/content`, { token: A })))).map((r) => r.text).join('\n');
    for (const name of ['demo_box', 'demo_extract', 'demo_load']) expect(all).toContain(name);
    await events.close();
  });
  it('run.started carries the plan steps with their dependencies (the web app draws the run graph from them)', async () => {
    const s = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
    const up = await h.call('POST', `/v1/sessions/${s}/artifacts?name=demo.jil`, { token: A, body: JIL, headers: { 'content-type': 'text/plain' } });
    const events = await h.events(s, A);
    const sent = await h.call('POST', `/v1/sessions/${s}/messages`, {
      token: A,
      json: { content: 'parse this JIL, analyze it and convert it to airflow (jil pipeline)', artifacts: [up.body.artifactId] },
    });
    const started = await events.next((e) => e.type === 'run.started' && e.jobId === sent.body.jobId, 45_000);
    const nodes = started.nodes as string[];
    const steps = started.steps as { id: string; workflow: string; node: string; dependsOn: string[] }[];
    expect(steps.map((x) => x.id)).toEqual(nodes);
    for (const step of steps) for (const d of step.dependsOn) expect(nodes).toContain(d);
    // parse first, then analyze and convert side by side on its output
    const roots = steps.filter((x) => x.dependsOn.length === 0);
    expect(roots.map((x) => x.workflow)).toEqual(['jil.parse']);
    const onParse = steps.filter((x) => x.dependsOn.some((d) => roots.some((r) => r.id === d)));
    expect(new Set(onParse.map((x) => x.workflow))).toEqual(new Set(['jil.analyze', 'jil.to_airflow']));
    await events.next((e) => e.type === 'reply' && e.jobId === sent.body.jobId, 45_000);
    await events.close();
  });
});

