import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runtime/job-data.js';
import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;
let h: EngineHarness;
let sessionId: string;
let jilId: string;

beforeAll(async () => {
  h = await startEngineHarness({ registry: registerBuiltins(new WorkflowRegistry()) });
  await h.startWorkers({ queues: ['orchestrator', 'nodes', 'jil', 'flows'] });
  sessionId = (await h.rt.sessions.create('u1')).sessionId;
  jilId = (
    await h.rt.artifacts.store({
      sessionId,
      workflowName: 'upload',
      content: readFileSync('examples/jil/nightly-etl.jil'),
      contentType: 'text',
      name: 'nightly-etl.jil',
      createdBy: 'u1',
    })
  ).artifactId;
});
afterAll(async () => h?.cleanup());

const run = (spec: unknown): Promise<RunResult> => h.runSpec(sessionId, spec);

describe('JIL workflows on the engine', () => {
  it('jil.pipeline: parse, then analyze ∥ convert; every DAG compiles; lineage back to the upload', async () => {
    const r = await run({ workflow: 'jil.pipeline', params: { jil: jilId } });
    const parse = r.outputs['parse']!;
    expect(parse['jobs']).toBeGreaterThan(5);
    expect(parse['errors']).toBe(0);
    const analyze = r.outputs['analyze']!;
    const mermaid = await h.rt.artifacts.getText(analyze['mermaidArtifactId'] as string);
    expect(mermaid).toMatch(/^(flowchart|graph) /m);
    const airflow = r.outputs['airflow']!;
    const dagIds = airflow['dagArtifactIds'] as string[];
    expect(dagIds.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'dags-'));
    try {
      for (const id of dagIds) {
        const a = await h.rt.artifacts.peek(id);
        expect(a.name).toMatch(/\.py$/);
        const content = await h.rt.artifacts.getText(id);
        expect(content).toContain('from airflow');
        const file = join(dir, a.name!.replace(/[\\/]/g, '_'));
        writeFileSync(file, content);
        if (hasPython) execFileSync('python3', ['-m', 'py_compile', file]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const lineage = await h.rt.artifacts.lineage(dagIds[0]!, { direction: 'ancestors' });
    expect(lineage.ancestors.map((a) => a.artifactId)).toEqual(expect.arrayContaining([parse['parsedArtifactId'], jilId]));
    // the parse ran once although two workflows depend on it
    expect(r.allArtifacts).toContain(parse['parsedArtifactId']);
  });

  it('parses inline JIL text too', async () => {
    const r = await run({ workflow: 'jil.parse', params: { jil: 'insert_job: a  job_type: c\ncommand: echo a\ninsert_job: b job_type: c command: echo b condition: s(a)' } });
    expect(r.outputs['jil_parse']).toMatchObject({ jobs: 2, errors: 0, name: 'inline' });
  });

  it('a file with no JIL in it fails the parse, saying so, instead of parsing to 0 jobs', async () => {
    const store = (content: string, name: string) =>
      h.rt.artifacts.store({ sessionId, workflowName: 'upload', content, contentType: 'text', name, createdBy: 'u1' }).then((a) => a.artifactId);
    const empty = await store('', 'empty.jil');
    const prose = await store('These are my notes\nabout the nightly jobs.\n', 'notes.jil');
    await expect(run({ workflow: 'jil.parse', params: { jil: empty } })).rejects.toThrow(/empty\.jil is empty: there is no JIL in it/);
    await expect(run({ workflow: 'jil.parse', params: { jil: prose } })).rejects.toThrow(/notes\.jil holds no JIL: none of its 2 lines is an insert_job/);
  });

  it('a binary file named .jil is not taken for JIL: the assistant says what it is and asks for the export', async () => {
    const s = (await h.rt.sessions.create('u1')).sessionId;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.alloc(200, 7)]);
    const bin = await h.rt.artifacts.store({ sessionId: s, workflowName: 'upload', content: png, name: 'export.jil', createdBy: 'u1' });
    expect(bin.kind).toBe('binary');
    const csv = await h.rt.artifacts.store({ sessionId: s, workflowName: 'upload', content: 'id,name\n1,a\n2,b\n', contentType: 'csv', name: 'orders.csv', createdBy: 'u1' });
    for (const [artifact, words] of [
      [bin.artifactId, '**export.jil**: it is not a text file (its bytes are binary)'],
      [csv.artifactId, '**orders.csv**: it is a CSV file'],
    ] as const) {
      const { jobId } = await h.rt.producer.enqueueMessage({ sessionId: s, userId: 'u1', content: 'convert this autosys file to airflow', artifacts: [artifact] });
      const result = (await h.waitForJob(jobId, 60_000)).result as OrchestratorResult;
      expect(result.outcome).toBe('asked');
      expect(result.reply).toContain(`I could not use ${words}, which **jil.to_airflow** cannot read.`);
      expect(result.reply).toContain('\n- Which JIL export should I use?');
      // the question in words, not the parameter's name
      expect(result.reply).not.toContain('parsedArtifactId');
    }
  });

  it('the assistant runs the chain users ask for, from an attached JIL', async () => {
    const { jobId } = await h.rt.producer.enqueueMessage({ sessionId, userId: 'u1', content: 'parse this JIL, then analyze it and convert it to Airflow', artifacts: [jilId] });
    const status = await h.waitForJob(jobId, 60_000);
    const result = status.result as OrchestratorResult;
    expect(result.outcome).toBe('succeeded');
    expect(result.workflow).toBe('jil.pipeline');
    expect(result.reply).toContain('jil.to_airflow');
    expect(result.artifacts.length).toBeGreaterThanOrEqual(4);
  });

  it('asks for the JIL when none is attached, and takes it from the next message', async () => {
    const s = (await h.rt.sessions.create('u1')).sessionId;
    const upload = (await h.rt.artifacts.store({ sessionId: s, workflowName: 'upload', content: 'insert_job: x job_type: c command: true', contentType: 'text', name: 'x.jil', createdBy: 'u1' })).artifactId;
    const ask = async (content: string, artifacts: string[] = []) => {
      const { jobId } = await h.rt.producer.enqueueMessage({ sessionId: s, userId: 'u1', content, artifacts });
      return (await h.waitForJob(jobId, 60_000)).result as OrchestratorResult;
    };
    const first = await ask('parse the autosys export');
    expect(first.outcome).toBe('asked');
    expect(first.reply).toContain('Attach the .jil file');
    const second = await ask('here it is', [upload]);
    expect(second.outcome).toBe('succeeded');
    expect(second.workflow).toBe('jil.parse');
  });

  it('answers what a file holds, which boxes and cycles it has, and what the session has done so far', async () => {
    const s = (await h.rt.sessions.create('u1')).sessionId;
    const upload = (
      await h.rt.artifacts.store({ sessionId: s, workflowName: 'upload', content: readFileSync('examples/jil/nightly-etl.jil'), contentType: 'text', name: 'nightly-etl.jil', createdBy: 'u1' })
    ).artifactId;
    const ask = async (content: string, artifacts: string[] = []) => {
      const { jobId } = await h.rt.producer.enqueueMessage({ sessionId: s, userId: 'u1', content, artifacts });
      return (await h.waitForJob(jobId, 60_000)).result as OrchestratorResult;
    };
    const nothing = await ask('what have you done so far?');
    expect(nothing.outcome).toBe('answered');
    expect(nothing.reply).toMatch(/^Nothing has run in this session yet\./);

    const overview = await ask("what's in this file?", [upload]);
    expect(overview.outcome).toBe('succeeded');
    expect(overview.workflow).toBe('jil.parse');
    // the answer first, from the parsed artifact: the job count by type and every box with its jobs
    expect(overview.reply).toMatch(/^This file defines \d+ jobs \([^)]*BOX[^)]*\)\. Boxes: SALES_NIGHTLY_BOX \(/);

    const boxes = await ask('ok, which boxes are there and are there any cycles?');
    expect(boxes.outcome).toBe('succeeded');
    expect(boxes.workflow).toBe('jil.analyze');
    expect(boxes.reply).toMatch(/^Boxes \(\d+\): .*SALES_NIGHTLY_BOX/);
    expect(boxes.reply).toMatch(/no cycles|cycles? \(jobs that wait on themselves/);

    const history = await ask('what did you do so far?');
    expect(history.outcome).toBe('answered');
    expect(history.artifacts).toEqual([]);
    expect(history.reply.split('\n').slice(0, 3)).toEqual([
      'What this session has run so far (2 runs, oldest first):',
      `- "what's in this file?" → **jil.parse**: succeeded, 1 artifact`,
      `- "ok, which boxes are there and are there any cycles?" → **jil.analyze**: succeeded, ${boxes.artifacts.length} artifacts`,
    ]);
    expect(history.reply).toContain(`Files uploaded: nightly-etl.jil (${upload}).`);
  });
});
