/**
 * The LlmClient contract (src/llm/llm.ts), run against both implementations. The Anthropic client
 * talks to the fake Messages API through the real SDK and is fed hostile replies, because the
 * contract must hold whatever the model says.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicLlm } from '../../src/llm/anthropic.js';
import { RouteDecision, type LlmClient, type ToolSpec } from '../../src/llm/llm.js';
import { estimateTokens } from '../../src/llm/offline-compress.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';
import { startFakeAnthropic, type FakeAnthropic, type FakeReply } from '../support/fake-anthropic.js';

const TOOLS: ToolSpec[] = [
  {
    name: 'csv.profile',
    description: 'Profile a CSV file: column types, null counts and distinct values.',
    examples: ['profile this csv'],
    inputSchema: { type: 'object', properties: { csvArtifactId: { type: 'string', 'x-artifact': true } } },
  },
  {
    name: 'jil.parse',
    description: 'Parse an Autosys JIL file into a job graph.',
    examples: ['parse this jil file'],
    inputSchema: { type: 'object', properties: { jilArtifactId: { type: 'string', 'x-artifact': true } } },
  },
];

const CONTEXT = {
  history: 'Loaded the orders file, profiled it and generated the staging DDL. '.repeat(120),
  refs: ['art_ctx_1', 'art_ctx_2'],
  params: { dialect: 'postgres', tableName: 'orders_stg', sampleRows: 500 },
  lastRun: { status: 'ok', output: 'wrote art_ctx_3', details: 'verbose '.repeat(300) },
};
const ids = (v: unknown) => [...new Set(JSON.stringify(v).match(/art_[A-Za-z0-9_-]+/g) ?? [])].sort();

interface Subject {
  name: string;
  client: () => LlmClient;
  /** Replies the fake gives before each call (ignored offline). */
  script: (replies: FakeReply[]) => void;
}

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => fake?.close());

const subjects: Subject[] = [
  { name: 'OfflineLlm', client: () => new OfflineLlm(), script: () => undefined },
  {
    name: 'AnthropicLlm (fake Messages API)',
    client: () => new AnthropicLlm({ apiKey: 'sk-conformance', baseURL: fake.baseURL, maxRetries: 0 }),
    script: (replies) => fake.enqueue(...replies),
  },
];

describe.each(subjects)('LlmClient contract: $name', (subject) => {
  // Every scripted reply was used: the Anthropic client really asked the API.
  afterEach(() => expect(fake.pending()).toBe(0));

  it('answers an unmatched request with tool null instead of throwing', async () => {
    subject.script([{ kind: 'text', text: 'I cannot help with the weather.' }]);
    const d = await subject.client().route({ message: 'what is the weather in Oslo', tools: TOOLS });
    expect(RouteDecision.parse(d)).toEqual(d);
    expect(d.tool).toBeNull();
  });

  it('routes a clear request to a tool that was offered', async () => {
    subject.script([{ kind: 'tool_use', name: 'jil_parse', input: {} }]);
    const d = await subject.client().route({ message: 'parse this jil file', tools: TOOLS });
    expect(d.tool).toBe('jil.parse');
    expect(d.confidence).toBeGreaterThan(0);
  });

  const hostile: [string, FakeReply][] = [
    ['drops ids', { kind: 'text', text: JSON.stringify({ summary: 'profiled orders', params: CONTEXT.params }) }],
    ['not JSON', { kind: 'text', text: 'Here is a shorter version: the user profiled orders.' }],
    ['an error', { kind: 'error', status: 500 }],
    ['a JSON array', { kind: 'text', text: '["art_ctx_1","art_ctx_2","art_ctx_3"]' }],
  ];
  it.each(hostile)('compress keeps every id and parameter, within budget, when the model answers %s', async (_label, reply) => {
    subject.script([reply]);
    const out = await subject.client().compress(CONTEXT, { maxTokens: 400 });
    expect(ids(out)).toEqual(ids(CONTEXT));
    expect(JSON.stringify(out)).toContain(JSON.stringify(CONTEXT.params));
    expect(estimateTokens(out)).toBeLessThanOrEqual(400);
    expect(JSON.stringify(out)).not.toContain('Here is a shorter version');
  });
});
