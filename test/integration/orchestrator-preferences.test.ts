import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompressOptions, LlmClient, RouteDecision, RouteRequest } from '../../src/llm/llm.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';
import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

/** Records what the orchestrator asks the LLM, and answers like the offline router. */
class RecordingLlm implements LlmClient {
  readonly kind = 'offline' as const;
  readonly routes: RouteRequest[] = [];
  readonly compressions: CompressOptions[] = [];
  private readonly inner = new OfflineLlm();
  async route(request: RouteRequest): Promise<RouteDecision> {
    this.routes.push(request);
    return this.inner.route(request);
  }
  async compress(context: Record<string, unknown>, options?: CompressOptions): Promise<Record<string, unknown>> {
    this.compressions.push(options ?? {});
    return this.inner.compress(context, options);
  }
}

const llm = new RecordingLlm();
let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness({ llm, env: { DATAOPS_CONTEXT_TOKEN_BUDGET: '200', DATAOPS_LLM_MODELS: 'claude-test-model' } });
  await h.startWorkers({ queues: ['orchestrator', 'nodes', 'flows'] });
});
afterAll(async () => h?.cleanup());

async function say(sessionId: string, content: string): Promise<OrchestratorResult> {
  const { jobId } = await h.rt.producer.enqueueMessage({ sessionId, userId: 'u1', content, artifacts: [] });
  return (await h.waitForJob(jobId)).result as OrchestratorResult;
}

describe("the orchestrator honours the session's preferences", () => {
  it('passes the preferred model and workflows, and limits the context to max_context_messages', async () => {
    const s = await h.rt.sessions.create('u1', {
      preferences: { defaultModel: 'claude-test-model', maxContextMessages: 2, preferredWorkflows: ['test.square'], autoCompressContext: false },
    });
    for (let i = 0; i < 4; i++) await h.rt.sessions.addMessage(s.sessionId, { role: 'user', content: `older message number ${i}` });
    await say(s.sessionId, 'square the numbers');
    const req = llm.routes.at(-1)!;
    expect(req.model).toBe('claude-test-model');
    expect(req.preferredWorkflows).toEqual(['test.square']);
    expect(req.contextSummary).not.toContain('older message number 0');
    expect(req.contextSummary).toContain('square the numbers');
    expect(llm.compressions).toHaveLength(0);
  });

  it('breaks a routing tie with preferred_workflows', async () => {
    const ask = async (preferred: string[]) => {
      const s = await h.rt.sessions.create('u1', { preferences: { preferredWorkflows: preferred, autoCompressContext: false } });
      const r = await say(s.sessionId, 'applies to each number please');
      return r.workflow;
    };
    expect(await ask(['test.negate'])).toBe('test.negate');
    expect(await ask(['test.double'])).toBe('test.double');
  });

  it('compresses a context over the budget in the prompt only: the stored globalContext stays byte-identical', async () => {
    const globalContext = { notes: 'x'.repeat(5000), keep: 'art_keepme', nested: { order: [3, 1, 2], 'ü': 'ünïcode' } };
    const s = await h.rt.sessions.create('u1', { preferences: { autoCompressContext: true }, globalContext });
    const before = JSON.stringify((await h.rt.sessions.get(s.sessionId)).globalContext);
    const compressionsBefore = llm.compressions.length;
    for (let i = 0; i < 11; i++) await say(s.sessionId, `make numbers with start = ${i}`); // 22 messages with the replies
    expect(llm.compressions.length).toBeGreaterThan(compressionsBefore);
    const prompt = llm.routes.at(-1)!.contextSummary ?? "";
    expect(prompt.length).toBeLessThan(5000);
    expect(prompt).toContain('art_keepme');
    const after = await h.rt.sessions.get(s.sessionId);
    expect(after.messageCount).toBeGreaterThan(20);
    expect(JSON.stringify(after.globalContext)).toBe(before);
  });
});
