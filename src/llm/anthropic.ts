import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { EnvSchema } from '../config.js';
import { ValidationError } from '../errors/index.js';
import type { Logger } from '../logger.js';
import { artifactIdsIn } from './artifact-params.js';
import { extractJsonObject } from './json-reply.js';
import { decisionOf, RouteDecision, RouteRequest, type CompressOptions, type Intent, type LlmClient } from './llm.js';
import { DEFAULT_COMPRESS_TOKENS, estimateTokens, offlineCompress, toPlainJson } from './offline-compress.js';
import { OfflineLlm } from './offline-router.js';
import { compressPrompt, routeSystemPrompt, routeUserContent, toolDescription } from './prompts.js';
import { ToolNameMap } from './tool-names.js';

/** The configured default model (`DATAOPS_LLM_MODEL`'s default). */
export const DEFAULT_LLM_MODEL: string = EnvSchema.shape.DATAOPS_LLM_MODEL.parse(undefined);

export interface AnthropicLlmOptions {
  /** Anthropic API key. Required; never logged. */
  apiKey: string;
  /** Messages API base URL (tests point it at a local fake). Default the SDK's, https://api.anthropic.com. */
  baseURL?: string | undefined;
  /** Model when a request names none. Default `DEFAULT_LLM_MODEL` (claude-sonnet-4-20250514). */
  model?: string | undefined;
  /** Retries of a failed call (429, 5xx, network), with the SDK's backoff. Default 2. */
  maxRetries?: number | undefined;
  /** Timeout of one API call in ms. Default 60000. */
  timeoutMs?: number | undefined;
  /** Output token limit of a routing call. Default 1024. */
  routeMaxTokens?: number | undefined;
  /** Warnings (API failures, rejected replies) go here, without the key. Default none. */
  log?: Logger | undefined;
  /** Answers when the API fails. Default a new OfflineLlm. */
  fallback?: OfflineLlm | undefined;
}

/** Confidence reported for a tool the model chose (the API gives no score). */
const MODEL_CONFIDENCE = 0.9;

const TextBlock = z.object({ type: z.literal('text'), text: z.string() });
const ToolUseBlock = z.object({ type: z.literal('tool_use'), name: z.string(), input: z.record(z.string(), z.unknown()) });
const Reply = z.object({ content: z.array(z.object({ type: z.string() }).loose()) });
const CompressedContext = z.record(z.string(), z.unknown());

/** What a failed call looks like in a log line: never the key, never request headers. */
function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof Anthropic.APIError) {
    return { name: err.name, status: err.status, type: err.type, requestId: err.requestID, message: err.apiMessage ?? err.message.slice(0, 200) };
  }
  if (err instanceof Error) return { name: err.name, message: err.message.slice(0, 200) };
  return { message: String(err).slice(0, 200) };
}

/** Scalar values under params/parameters keys, anywhere in the context. */
function parameterValues(value: unknown, inParams = false, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  if (typeof value !== 'object') {
    if (inParams) out.push(typeof value === 'string' ? value : String(value));
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.toLowerCase();
    parameterValues(v, inParams || key === 'params' || key === 'parameters', out);
  }
  return out;
}

/**
 * The Messages API behind the LlmClient port. `route` offers one tool per ToolSpec (names mapped to
 * the API's alphabet and back), `tool_choice: auto`; each tool_use block is one intent (a compound
 * request gives several, in order), text alone means "no tool". `compress` asks for JSON and accepts it only when it parses, is an object and
 * still holds every artifact id and parameter value. On any API error or bad reply it answers with
 * the offline implementation, so callers never see the model's raw text or a network failure.
 */
export class AnthropicLlm implements LlmClient {
  readonly kind = 'anthropic' as const;
  private readonly client: Anthropic;
  private readonly model: string;
  private readonly routeMaxTokens: number;
  private readonly log: Logger | undefined;
  private readonly fallback: OfflineLlm;

  constructor(options: AnthropicLlmOptions) {
    if (!options.apiKey) throw new ValidationError('AnthropicLlm needs an apiKey');
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? null,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeoutMs ?? 60_000,
      logLevel: 'off',
    });
    this.model = options.model ?? DEFAULT_LLM_MODEL;
    this.routeMaxTokens = options.routeMaxTokens ?? 1024;
    this.log = options.log;
    this.fallback = options.fallback ?? new OfflineLlm();
  }

  async route(input: RouteRequest): Promise<RouteDecision> {
    const parsed = RouteRequest.safeParse(input);
    if (!parsed.success) throw new ValidationError('invalid route request', { details: parsed.error.issues });
    const req = parsed.data;
    if (req.tools.length === 0) return RouteDecision.parse({ tool: null, confidence: 0, reason: 'no tools offered' });
    const names = new ToolNameMap(req.tools.map((t) => t.name));
    let reply: unknown;
    try {
      reply = await this.client.messages.create({
        model: req.model ?? this.model,
        max_tokens: this.routeMaxTokens,
        system: routeSystemPrompt(req.tools, names, req.contextSummary, req.pendingWorkflow, req.pendingParams),
        messages: [{ role: 'user', content: routeUserContent(req.message, req.artifacts) }],
        tools: req.tools.map((t) => {
          const { $schema: _ignored, ...schema } = t.inputSchema;
          return { name: names.api(t.name), description: toolDescription(t), input_schema: { ...schema, type: 'object' as const } };
        }),
        tool_choice: { type: 'auto' },
      });
    } catch (err) {
      this.log?.warn({ err: describeError(err) }, 'Anthropic route call failed; answering with the offline router');
      return this.fallback.routeSync(req);
    }
    const shape = Reply.safeParse(reply);
    if (!shape.success) {
      this.log?.warn({ issues: shape.error.issues.length }, 'Anthropic route reply has an unexpected shape; answering offline');
      return this.fallback.routeSync(req);
    }
    const text = shape.data.content
      .map((b) => TextBlock.safeParse(b))
      .flatMap((r) => (r.success ? [r.data.text] : []))
      .join(' ')
      .trim();
    // Several tool_use blocks are several intents, in the order the model wrote them (the user's order).
    const intents: Intent[] = [];
    let unknown = 0;
    for (const block of shape.data.content) {
      const use = ToolUseBlock.safeParse(block);
      if (!use.success) continue;
      const tool = names.original(use.data.name);
      if (!tool) {
        unknown++;
        this.log?.warn({ tool: use.data.name.slice(0, 64) }, 'model called a tool that was not offered');
        continue;
      }
      intents.push({ tool, params: use.data.input });
    }
    if (intents.length) return decisionOf(intents, MODEL_CONFIDENCE, text.slice(0, 300) || `model chose ${intents.map((i) => i.tool).join(', ')}`);
    if (unknown) return decisionOf([], 0, 'the model named a tool that was not offered');
    return decisionOf([], 0, text.slice(0, 300) || 'the model chose no tool');
  }

  /**
   * Contexts that already fit the budget come back unchanged without a call. Otherwise the model's
   * JSON is accepted only when valid and complete (every `art_…` id and every params/parameters
   * value of the input still present); a valid but over-budget answer is trimmed offline; anything
   * else falls back to the offline compressor.
   */
  async compress(context: Record<string, unknown>, options: CompressOptions = {}): Promise<Record<string, unknown>> {
    const maxTokens = Math.max(1, Math.floor(options.maxTokens ?? DEFAULT_COMPRESS_TOKENS));
    const plainValue = toPlainJson(context);
    const plain = plainValue && typeof plainValue === 'object' && !Array.isArray(plainValue) ? (plainValue as Record<string, unknown>) : {};
    if (estimateTokens(plain) <= maxTokens) return plain;
    const safe = () => offlineCompress(plain, { maxTokens });
    let reply: unknown;
    try {
      reply = await this.client.messages.create({
        model: options.model ?? this.model,
        max_tokens: Math.min(16_000, Math.ceil(maxTokens * 1.5) + 256),
        messages: [{ role: 'user', content: compressPrompt(JSON.stringify(plain, null, 2), maxTokens) }],
      });
    } catch (err) {
      this.log?.warn({ err: describeError(err) }, 'Anthropic compress call failed; compressing offline');
      return safe();
    }
    const shape = Reply.safeParse(reply);
    const text = shape.success
      ? shape.data.content
          .map((b) => TextBlock.safeParse(b))
          .flatMap((r) => (r.success ? [r.data.text] : []))
          .join('\n')
      : '';
    const candidate = CompressedContext.safeParse(extractJsonObject(text));
    if (!candidate.success) {
      this.log?.warn('compress reply was not a JSON object; compressing offline');
      return safe();
    }
    const out = candidate.data;
    const outJson = JSON.stringify(out);
    const lostIds = artifactIdsIn(JSON.stringify(plain)).filter((id) => !outJson.includes(id));
    const lostParams = parameterValues(plain).filter((v) => !outJson.includes(JSON.stringify(v).slice(1, -1) || v));
    if (lostIds.length || lostParams.length) {
      this.log?.warn({ lostIds: lostIds.length, lostParams: lostParams.length }, 'compress reply dropped artifact ids or parameters; compressing offline');
      return safe();
    }
    return estimateTokens(out) <= maxTokens ? out : offlineCompress(out, { maxTokens });
  }
}
