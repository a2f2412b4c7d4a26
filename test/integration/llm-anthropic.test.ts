import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AnthropicLlm, DEFAULT_LLM_MODEL } from '../../src/llm/anthropic.js';
import { createLlm } from '../../src/llm/create-llm.js';
import type { ArtifactHint, ToolSpec } from '../../src/llm/llm.js';
import { offlineCompress } from '../../src/llm/offline-compress.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';

const KEY = 'sk-test-SECRET-value-1234567890';

const TOOLS: ToolSpec[] = [
  {
    name: 'jil.parse',
    description: 'Parse an Autosys JIL file into a structured job graph.',
    examples: ['parse this jil file'],
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { jilArtifactId: { type: 'string', 'x-artifact': true, 'x-ask': 'Which JIL file?' } },
      required: ['jilArtifactId'],
      additionalProperties: false,
    },
  },
  {
    name: 'jil.to_airflow',
    description: 'Convert Autosys JIL job definitions into Apache Airflow DAG code.',
    examples: ['convert this jil to an airflow dag'],
    inputSchema: {
      type: 'object',
      properties: {
        jilArtifactId: { type: 'string', 'x-artifact': true },
        dagId: { type: 'string', description: 'DAG id' },
      },
      required: ['jilArtifactId'],
    },
  },
  {
    name: 'csv.profile',
    description: 'Profile a CSV file: column types, nulls, distinct values.',
    examples: ['profile this csv'],
    inputSchema: { type: 'object', properties: { csvArtifactId: { type: 'string', 'x-artifact': true } } },
  },
];
const ARTIFACTS: ArtifactHint[] = [{ artifactId: 'art_jil_42', name: 'nightly.jil', contentType: 'text/plain' }];

let fake: FakeAnthropic;
let logLines: string[];
const logger = () =>
  pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString());
        cb();
      },
    }),
  );
const client = (extra: Partial<ConstructorParameters<typeof AnthropicLlm>[0]> = {}) =>
  new AnthropicLlm({ apiKey: KEY, baseURL: fake.baseURL, maxRetries: 0, timeoutMs: 10_000, log: logger(), ...extra });

beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => fake?.close());
beforeEach(() => {
  fake.requests.length = 0;
  logLines = [];
  expect(fake.pending()).toBe(0);
});

describe('AnthropicLlm.route through the real SDK', () => {
  it('turns a tool_use block into a decision, mapping the tool name back', async () => {
    fake.enqueue({ kind: 'tool_use', name: 'jil_to_airflow', input: { jilArtifactId: 'art_jil_42', dagId: 'nightly' }, text: 'Converting.' });
    const d = await client().route({ message: 'convert this to airflow please', tools: TOOLS, artifacts: ARTIFACTS, contextSummary: 'user: hi' });
    const params = { jilArtifactId: 'art_jil_42', dagId: 'nightly' };
    expect(d).toEqual({ tool: 'jil.to_airflow', params, intents: [{ tool: 'jil.to_airflow', params }], confidence: 0.9, reason: 'Converting.' });

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.url).toBe('/v1/messages');
    // The key reached the server (x-api-key or a bearer header, depending on the SDK version), and the
    // recording holds no trace of it.
    expect(req.headers['x-api-key'] ?? req.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
    expect(req.headers['anthropic-version']).toBeTruthy();
    const body = req.body as {
      model: string;
      tools: { name: string; description: string; input_schema: Record<string, unknown> }[];
      tool_choice: unknown;
      system: string;
      messages: { role: string; content: string }[];
    };
    expect(body.model).toBe(DEFAULT_LLM_MODEL);
    expect(body.tool_choice).toEqual({ type: 'auto' });
    expect(body.tools.map((t) => t.name)).toEqual(['jil_parse', 'jil_to_airflow', 'csv_profile']);
    for (const t of body.tools) expect(t.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    // input_schema is the tool's inputSchema (minus $schema), extension keys included.
    const { $schema: _s, ...jilSchema } = TOOLS[0]!.inputSchema;
    expect(body.tools[0]!.input_schema).toEqual(jilSchema);
    expect(body.tools[1]!.input_schema).toEqual(TOOLS[1]!.inputSchema);
    expect(body.tools[0]!.description).toContain('parse this jil file');
    expect(body.system).toContain('jil_to_airflow: Convert Autosys JIL');
    expect(body.system).toContain('user: hi');
    expect(body.messages[0]!.role).toBe('user');
    expect(body.messages[0]!.content).toContain('convert this to airflow please');
    expect(body.messages[0]!.content).toContain('art_jil_42 (nightly.jil, text/plain)');
  });

  it('passes the request model through', async () => {
    fake.enqueue({ kind: 'tool_use', name: 'csv_profile', input: {} });
    const d = await client().route({ message: 'profile it', tools: TOOLS, model: 'claude-test-model-9' });
    expect(d.tool).toBe('csv.profile');
    expect(fake.requests[0]!.body.model).toBe('claude-test-model-9');
  });

  it('answers "no tool" for a text-only reply', async () => {
    fake.enqueue({ kind: 'text', text: 'None of my tools can book flights.' });
    const d = await client().route({ message: 'book me a flight to Lisbon', tools: TOOLS });
    expect(d).toEqual({ tool: null, params: {}, intents: [], confidence: 0, reason: 'None of my tools can book flights.' });
  });

  it('turns several tool_use blocks into several intents, in order, dropping tools it was not offered', async () => {
    fake.enqueue({
      kind: 'tool_uses',
      text: 'Parsing, then converting.',
      calls: [
        { name: 'jil_parse', input: { jilArtifactId: 'art_jil_42' } },
        { name: 'rm_rf', input: {} },
        { name: 'jil_to_airflow', input: { jilArtifactId: 'art_jil_42' } },
      ],
    });
    const d = await client().route({ message: 'parse this export and write the airflow files', tools: TOOLS, artifacts: ARTIFACTS });
    expect(d.intents.map((i) => i.tool)).toEqual(['jil.parse', 'jil.to_airflow']);
    expect(d.tool).toBe('jil.parse');
    expect(d.params).toEqual({ jilArtifactId: 'art_jil_42' });
    expect(logLines.join('\n')).toContain('not offered');
    // The prompt allows several calls.
    expect(String(fake.requests[0]!.body.system)).toContain('call one tool per thing');
  });

  it('answers "no tool" when the model names a tool it was not offered', async () => {
    fake.enqueue({ kind: 'tool_use', name: 'rm_rf', input: {} });
    const d = await client().route({ message: 'delete everything', tools: TOOLS });
    expect(d.tool).toBeNull();
  });

  it('mentions the pending workflow in the system prompt', async () => {
    fake.enqueue({ kind: 'tool_use', name: 'jil_parse', input: { jilArtifactId: 'art_1' } });
    await client().route({ message: 'art_1', tools: TOOLS, pendingWorkflow: 'jil.parse', pendingParams: ['jilArtifactId'] });
    expect(String(fake.requests[0]!.body.system)).toMatch(/pending \(it asked for: jilArtifactId\).*jil_parse/);
  });

  it('falls back to the offline router on HTTP 500, logging without the key', async () => {
    fake.enqueue({ kind: 'error', status: 500 });
    const request = { message: 'convert this jil to an airflow dag', tools: TOOLS, artifacts: ARTIFACTS };
    const d = await client().route(request);
    expect(d).toEqual(await new OfflineLlm().route(request));
    expect(d.tool).toBe('jil.to_airflow');
    expect(d.params.jilArtifactId).toBe('art_jil_42');
    expect(fake.requests).toHaveLength(1);
    const logs = logLines.join('\n');
    expect(logs).toContain('offline');
    expect(logs).toContain('500');
    expect(logs).not.toContain(KEY);
  });

  it('retries a 529 (overloaded) as configured, then falls back', async () => {
    fake.enqueue({ kind: 'error', status: 529 }, { kind: 'error', status: 529 });
    const d = await client({ maxRetries: 1 }).route({ message: 'profile this csv', tools: TOOLS });
    expect(fake.requests).toHaveLength(2);
    expect(d.tool).toBe('csv.profile');
  });

  it('recovers when a retry succeeds', async () => {
    fake.enqueue({ kind: 'error', status: 500 }, { kind: 'tool_use', name: 'jil_parse', input: { jilArtifactId: 'art_x' } });
    const d = await client({ maxRetries: 1 }).route({ message: 'what is in art_x', tools: TOOLS });
    expect(d).toMatchObject({ tool: 'jil.parse', params: { jilArtifactId: 'art_x' } });
  });

  it('falls back when the reply body is not JSON', async () => {
    fake.enqueue({ kind: 'raw', status: 200, body: '<html>proxy error</html>', contentType: 'text/html' });
    const d = await client().route({ message: 'profile this csv', tools: TOOLS });
    expect(d.tool).toBe('csv.profile');
  });

  it('maps colliding names reversibly', async () => {
    const tools: ToolSpec[] = [
      { ...TOOLS[2]!, name: 'a.b' },
      { ...TOOLS[2]!, name: 'a_b' },
    ];
    fake.enqueue({ kind: 'tool_use', name: 'a_b_2', input: {} });
    const d = await client().route({ message: 'x', tools });
    expect((fake.requests[0]!.body.tools as { name: string }[]).map((t) => t.name)).toEqual(['a_b', 'a_b_2']);
    expect(d.tool).toBe('a_b');
  });
});

describe('AnthropicLlm.compress through the real SDK', () => {
  const big = {
    project: 'orders-migration',
    history: 'The nightly batch reconciles orders. '.repeat(200),
    artifactRefs: ['art_a1', 'art_b2'],
    params: { dialect: 'postgres', tableName: 'orders' },
    last: 'wrote art_c3',
  };

  it('accepts valid JSON that keeps every id and parameter (even in a ```json fence)', async () => {
    const answer = { project: 'orders-migration', artifactRefs: ['art_a1', 'art_b2'], params: { dialect: 'postgres', tableName: 'orders' }, last: 'art_c3' };
    fake.enqueue({ kind: 'text', text: `Here you go:\n\`\`\`json\n${JSON.stringify(answer)}\n\`\`\`` });
    const out = await client().compress(big, { maxTokens: 300, model: 'claude-compress-x' });
    expect(out).toEqual(answer);
    expect(fake.requests[0]!.body.model).toBe('claude-compress-x');
    const prompt = JSON.stringify(fake.requests[0]!.body.messages);
    expect(prompt).toContain('approximately 300 tokens');
    expect(prompt).toContain('art_b2');
  });

  it('falls back safely on invalid JSON', async () => {
    fake.enqueue({ kind: 'text', text: 'Sure! {project: orders-migration, refs: [art_a1' });
    const out = await client().compress(big, { maxTokens: 300 });
    expect(out).toEqual(offlineCompress(big, { maxTokens: 300 }));
    expect(JSON.stringify(out)).not.toContain('Sure!');
  });

  it('falls back when the reply dropped an artifact id', async () => {
    fake.enqueue({ kind: 'text', text: JSON.stringify({ artifactRefs: ['art_a1', 'art_b2'], params: big.params }) });
    const out = await client().compress(big, { maxTokens: 300 });
    expect(out).toEqual(offlineCompress(big, { maxTokens: 300 }));
    expect(JSON.stringify(out)).toContain('art_c3');
  });

  it('falls back when the reply dropped a parameter value', async () => {
    fake.enqueue({ kind: 'text', text: JSON.stringify({ refs: 'art_a1 art_b2 art_c3', params: { dialect: 'postgres' } }) });
    const out = await client().compress(big, { maxTokens: 300 });
    expect(out).toEqual(offlineCompress(big, { maxTokens: 300 }));
  });

  it('falls back on an API error', async () => {
    fake.enqueue({ kind: 'error', status: 500 });
    const out = await client().compress(big, { maxTokens: 300 });
    expect(out).toEqual(offlineCompress(big, { maxTokens: 300 }));
    expect(logLines.join('\n')).not.toContain(KEY);
  });

  it('does not call the API for a context that already fits', async () => {
    const small = { a: 'art_small', params: { x: 1 } };
    expect(await client().compress(small, { maxTokens: 300 })).toEqual(small);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('createLlm', () => {
  it('picks Anthropic when a key is configured, else offline', () => {
    const withKey = loadConfig({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: 'http://127.0.0.1:1' });
    expect(createLlm(withKey.llm).kind).toBe('anthropic');
    expect(createLlm(loadConfig({}).llm).kind).toBe('offline');
  });
});
