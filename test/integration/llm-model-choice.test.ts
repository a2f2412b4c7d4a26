import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ValidationError } from '../../src/errors/index.js';
import { createLlm } from '../../src/llm/create-llm.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';

let fake: FakeAnthropic;
let h: EngineHarness;

const MODELS = { DATAOPS_LLM_MODEL: 'claude-operator-default', DATAOPS_LLM_MODELS: 'claude-allowed-a, claude-allowed-b' };

beforeAll(async () => {
  fake = await startFakeAnthropic();
  const config = loadConfig({ ...MODELS, ANTHROPIC_API_KEY: 'sk-test-not-a-real-key', ANTHROPIC_BASE_URL: fake.baseURL });
  h = await startEngineHarness({ env: MODELS, llm: createLlm(config.llm) });
  await h.startWorkers({ queues: ['orchestrator', 'nodes', 'flows'] });
});
afterAll(async () => {
  await h?.cleanup();
  await fake?.close();
});

async function modelUsed(sessionId: string): Promise<unknown> {
  const before = fake.requests.length;
  fake.enqueue({ kind: 'tool_use', name: 'test_numbers', input: { start: 1 } });
  const { jobId } = await h.rt.producer.enqueueMessage({ sessionId, userId: 'u1', content: 'make numbers from 1', artifacts: [] });
  await h.waitForJob(jobId);
  return fake.requests[before]?.body.model;
}

describe('the operator decides the model', () => {
  it('config: DATAOPS_LLM_MODELS always includes DATAOPS_LLM_MODEL', () => {
    expect(loadConfig(MODELS).llm.models).toEqual(['claude-operator-default', 'claude-allowed-a', 'claude-allowed-b']);
    expect(loadConfig({}).llm.models).toEqual([loadConfig({}).llm.model]);
  });

  it('a session without a preference uses DATAOPS_LLM_MODEL', async () => {
    const s = await h.rt.sessions.create('u1');
    expect(s.preferences.defaultModel).toBeUndefined();
    expect(await modelUsed(s.sessionId)).toBe('claude-operator-default');
  });

  it('a session may choose a model from the allow-list', async () => {
    const s = await h.rt.sessions.create('u1', { preferences: { defaultModel: 'claude-allowed-b' } });
    expect(await modelUsed(s.sessionId)).toBe('claude-allowed-b');
  });

  it('a model outside the allow-list is refused on create and update, and nothing changes', async () => {
    await expect(h.rt.sessions.create('u1', { preferences: { defaultModel: 'some-other-model' } })).rejects.toBeInstanceOf(ValidationError);
    const s = await h.rt.sessions.create('u1', { preferences: { defaultModel: 'claude-allowed-a' } });
    await expect(h.rt.sessions.update(s.sessionId, { preferences: { defaultModel: 'some-other-model' } })).rejects.toThrow(/not offered/);
    expect((await h.rt.sessions.get(s.sessionId)).preferences.defaultModel).toBe('claude-allowed-a');
  });
});
