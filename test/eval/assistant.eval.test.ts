import { allQueueNames } from '../../src/runtime/workers.js';
/**
 * The assistant eval: plain-English requests with raw files attached, follow-ups, two files in a
 * session, compound requests, typos, capability questions and out-of-scope requests, each with the
 * plan it must produce and its run on real queues and storage — once through the offline router,
 * once through the Anthropic client against the fake Messages API (scripted tool calls), so the
 * planner is proven for both. Prints the pass rate; fails on any failed case.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AnthropicLlm } from '../../src/llm/anthropic.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { CASES } from './eval-cases.js';
import { formatReport, runEval, scriptFake } from './run-eval.js';

const open: { h?: EngineHarness; fake?: FakeAnthropic }[] = [];
afterAll(async () => {
  for (const o of open) {
    await o.h?.cleanup();
    await o.fake?.close();
  }
});

async function harness(llm: OfflineLlm | AnthropicLlm): Promise<EngineHarness> {
  const h = await startEngineHarness({ registry: registerBuiltins(new WorkflowRegistry()), llm, env: { DATAOPS_ORCHESTRATOR_CONCURRENCY: '6' } });
  // every queue family (csv, jil, nodes…) but the maintenance schedulers
  await h.startWorkers({ queues: allQueueNames(h.rt).filter((q) => q !== 'maintenance') });
  return h;
}

describe('assistant eval', () => {
  it('has at least 40 plain-English requests of every kind', () => {
    expect(CASES.reduce((n, c) => n + c.turns.length, 0)).toBeGreaterThanOrEqual(40);
    for (const kind of ['raw file', 'follow-up', 'two files', 'compound', 'typo', 'capability', 'out of scope', 'readme', 'plain question'] as const) {
      expect(CASES.some((c) => c.category === kind), kind).toBe(true);
    }
  });

  it('offline router: every case plans and runs as expected', async () => {
    const h = await harness(new OfflineLlm());
    open.push({ h });
    const report = await runEval(h, 'offline', CASES, { concurrency: 6 });
    console.log(formatReport(report));
    expect(report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
  }, 180_000);

  it('Anthropic client (fake Messages API, scripted tool calls): every case plans and runs as expected', async () => {
    const fake = await startFakeAnthropic();
    const calls = scriptFake(fake, CASES);
    const h = await harness(new AnthropicLlm({ apiKey: 'sk-eval', baseURL: fake.baseURL, maxRetries: 0 }));
    open.push({ h, fake });
    const report = await runEval(h, 'anthropic', CASES, { concurrency: 6, calls });
    console.log(formatReport(report));
    expect(report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
  }, 180_000);
});
