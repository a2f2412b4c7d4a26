import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, renderClientTypes } from '../../scripts/render-client-types.js';
import { JOB_CONTRACT_FILES, jobSchemas, renderJobContract } from '../../scripts/render-job-contract.js';
import { OrchestratorJobData } from '../../src/assistant/orchestrator.js';
import { QUEUE } from '../../src/runtime/queues.js';

const STALE = 'is out of date: run `npm run gen` and commit the result';

describe('generated files are current (npm run gen)', () => {
  it('the HTTP client types match the OpenAPI document the API serves', async () => {
    const fresh = await renderClientTypes();
    expect(await readFile(CLIENT_TYPES_FILE, 'utf8'), `${CLIENT_TYPES_FILE} ${STALE}`).toBe(fresh);
    // the operations the client wraps are all in it
    for (const op of ['createSession', 'uploadArtifact', 'postMessage', 'startRun', 'getJob', 'getArtifactContent']) expect(fresh).toContain(`    ${op}: {`);
  });

  it('the job contract page and schemas match the zod schemas and queue names', async () => {
    for (const [file, text] of Object.entries(renderJobContract())) {
      expect(await readFile(file, 'utf8'), `${file} ${STALE}`).toBe(text);
    }
    const page = await readFile(JOB_CONTRACT_FILES.page, 'utf8');
    for (const q of Object.values(QUEUE)) expect(page).toContain(`\`${q}\``);
  });

  it('the published message schema accepts what the producer enqueues and rejects what the worker rejects', () => {
    const schema = jobSchemas().OrchestratorJobData as { required: string[]; additionalProperties: boolean; properties: Record<string, unknown> };
    const good = { sessionId: 's', userId: 'u', messageId: 'msg_1', content: 'hi', artifacts: [] };
    expect(OrchestratorJobData.safeParse(good).success).toBe(true);
    expect(schema.required.sort()).toEqual(['content', 'messageId', 'sessionId', 'userId']);
    expect(schema.additionalProperties).toBe(false);
    expect(OrchestratorJobData.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(OrchestratorJobData.shape).sort());
  });
});
