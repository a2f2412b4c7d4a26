import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/runtime/job-data.js';
import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness;
let sessionId: string;
let csvId: string;

const CSV = [
  'order_id,customer,amount,ordered_at,status',
  '1,Ada,12.50,2024-01-02,paid',
  '2,Grace,7.00,2024-01-03,paid',
  '3,Linus,,2024-01-05,refunded',
  '4,Ada,30.25,2024-02-11,paid',
  '5,Barbara,99.99,2024-02-12,pending',
].join('\r\n');

beforeAll(async () => {
  h = await startEngineHarness({ registry: registerBuiltins(new WorkflowRegistry()) });
  await h.startWorkers({ queues: ['orchestrator', 'nodes', 'csv', 'flows'] });
  sessionId = (await h.rt.sessions.create('u1')).sessionId;
  csvId = (await h.rt.artifacts.store({ sessionId, workflowName: 'upload', content: CSV, contentType: 'csv', name: 'orders.csv', createdBy: 'u1' })).artifactId;
});
afterAll(async () => h?.cleanup());

const run = (spec: unknown): Promise<RunResult> => h.runSpec(sessionId, spec);

describe('CSV workflows on the engine', () => {
  it('csv.pipeline: profile, then Postgres DDL ∥ quality, with lineage to the upload', async () => {
    const r = await run({ workflow: 'csv.pipeline', params: { source: csvId, dialect: 'postgres' } });
    const profile = r.outputs['profile']!;
    expect(profile).toMatchObject({ rows: 5, columns: 5, delimiter: ',', table: 'orders' });
    const ddlId = r.outputs['ddl']!['ddlArtifactId'] as string;
    const ddl = await h.rt.artifacts.getText(ddlId);
    expect(ddl).toMatch(/CREATE TABLE\s+orders/i);
    expect(ddl).toMatch(/order_id\s+(BIGINT|INTEGER)/i);
    expect(ddl).toMatch(/ordered_at\s+DATE/i);
    const report = await h.rt.artifacts.getJson<{ passed: boolean }>(r.outputs['quality']!['reportArtifactId'] as string);
    expect(report.passed).toBe(true);
    const lineage = await h.rt.artifacts.lineage(ddlId, { direction: 'ancestors' });
    expect(lineage.ancestors.map((a) => a.artifactId)).toEqual(expect.arrayContaining([profile['profileArtifactId'], csvId]));
  });

  it('csv.quality with explicit rules reports failing rows', async () => {
    const r = await run({ workflow: 'csv.quality', params: { source: csvId, rules: { notNull: ['amount'], allowedValues: [{ column: 'status', values: ['paid', 'refunded'] }] } } });
    expect(r.outputs['csv_quality']).toMatchObject({ passed: false, failedRules: 2 });
  });

  it('asks for the dialect, then runs the chain the user asked for', async () => {
    const ask = async (content: string, artifacts: string[] = []) => {
      const { jobId } = await h.rt.producer.enqueueMessage({ sessionId, userId: 'u1', content, artifacts });
      const st = await h.waitForJob(jobId, 60_000);
      return st.result as OrchestratorResult;
    };
    const first = await ask('profile this CSV and give me DDL and a quality report', [csvId]);
    expect(first.outcome).toBe('asked');
    expect(first.workflow).toBe('csv.pipeline');
    expect(first.reply).toMatch(/postgres, snowflake, bigquery or redshift/);
    const second = await ask('snowflake');
    expect(second.outcome).toBe('succeeded');
    expect(second.reply).toContain('snowflake');
    expect(second.artifacts.length).toBeGreaterThanOrEqual(3);
  });

  it('"describe this" with a CSV attached profiles it and answers with its columns', async () => {
    const s = (await h.rt.sessions.create('u1')).sessionId;
    const id = (await h.rt.artifacts.store({ sessionId: s, workflowName: 'upload', content: CSV, contentType: 'csv', name: 'orders.csv', createdBy: 'u1' })).artifactId;
    const { jobId } = await h.rt.producer.enqueueMessage({ sessionId: s, userId: 'u1', content: 'describe this', artifacts: [id] });
    const r = (await h.waitForJob(jobId, 60_000)).result as OrchestratorResult;
    expect(r.outcome).toBe('succeeded');
    expect(r.workflow).toBe('csv.profile');
    expect(r.reply.split('\n')[0]).toBe(
      'This file has 5 rows and 5 columns: order_id (integer), customer (string), amount (decimal, 1 null), ordered_at (date), status (string).',
    );
  });
});

// keep the example file honest: it must profile cleanly
describe('examples/csv', () => {
  it.skipIf(!safeExists('examples/csv/orders.csv'))('orders.csv profiles without issues', async () => {
    const id = (await h.rt.artifacts.store({ sessionId, workflowName: 'upload', content: readFileSync('examples/csv/orders.csv'), contentType: 'csv', name: 'orders.csv', createdBy: 'u1' })).artifactId;
    const r = await run({ workflow: 'csv.profile', params: { source: id } });
    expect((r.outputs['csv_profile'] as { encodingErrors: number }).encodingErrors).toBe(0);
  });
});

function safeExists(p: string): boolean {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
}
