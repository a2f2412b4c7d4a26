import { ValidationError } from '../errors/index.js';
import { offlineCompress } from './offline-compress.js';
import { MIN_SCORE, rankScores, scoreTools, toConfidence } from './offline-score.js';
import { coerce, extractParams, type Extraction } from './param-extract.js';
import { RouteDecision, RouteRequest, type ArtifactHint, type CompressOptions, type LlmClient, type ToolSpec } from './llm.js';
import { readProps } from './schema-props.js';
import { contentTokens, splitIdentifier, stem, STOPWORDS, words } from './text.js';

export interface OfflineLlmOptions {
  /** Lowest raw score (see offline-score.ts) that still picks a tool; below it the answer is "no tool". Default 2. */
  minScore?: number;
  /**
   * With a pending question, a message with at most this many content words and no strong match
   * elsewhere counts as an answer even when no parameter was recognised ("yes", "orders"). Default 3.
   */
  shortAnswerWords?: number;
}

/** Stemmed words of every tool's name, description and examples. */
function vocabularyOf(tools: readonly ToolSpec[]): Set<string> {
  const v = new Set<string>();
  for (const t of tools) {
    for (const w of splitIdentifier(t.name)) v.add(stem(w));
    for (const w of contentTokens(`${t.description} ${t.examples.join(' ')}`)) v.add(w);
  }
  return v;
}

/**
 * Deterministic router with no network: BM25-style scoring of the message against each tool's name
 * (strongest), examples and description, then schema-driven parameter extraction. Below the
 * threshold it answers `{ tool: null }`. Ties go to `preferredWorkflows` order, then to the name.
 * With `pendingWorkflow`, a message that reads like an answer (mostly parameter values) goes to it.
 */
export class OfflineLlm implements LlmClient {
  readonly kind = 'offline' as const;
  private readonly minScore: number;
  private readonly shortAnswerWords: number;

  constructor(options: OfflineLlmOptions = {}) {
    this.minScore = options.minScore ?? MIN_SCORE;
    this.shortAnswerWords = options.shortAnswerWords ?? 3;
  }

  async route(request: RouteRequest): Promise<RouteDecision> {
    return this.routeSync(request);
  }

  /** `route` without the promise (the Anthropic client reuses it as its fallback). */
  routeSync(input: RouteRequest): RouteDecision {
    const parsed = RouteRequest.safeParse(input);
    if (!parsed.success) throw new ValidationError('invalid route request', { details: parsed.error.issues });
    const req = parsed.data;
    const vocabulary = vocabularyOf(req.tools);
    const ranked = rankScores(scoreTools(req.message, req.tools), req.preferredWorkflows);
    const best = ranked[0] && ranked[0].score >= this.minScore ? ranked[0] : undefined;

    const pending = req.pendingWorkflow ? req.tools.find((t) => t.name === req.pendingWorkflow) : undefined;
    if (pending) {
      const ext = this.extractFor(pending, req.message, req.artifacts, vocabulary);
      const contentWords = words(req.message).filter((w) => !STOPWORDS.has(w));
      const strongElsewhere = best !== undefined && best.name !== pending.name && best.score >= 2 * this.minScore;
      const mostlyValues = Object.keys(ext.params).length > 0 && ext.coverage >= 0.5;
      const shortAnswer = contentWords.length > 0 && contentWords.length <= this.shortAnswerWords && !strongElsewhere;
      if (mostlyValues || shortAnswer) {
        const params = { ...ext.params };
        if (Object.keys(params).length === 0) Object.assign(params, bareValue(pending, req.message, vocabulary, req.pendingParams ?? []));
        return RouteDecision.parse({
          tool: pending.name,
          params,
          confidence: mostlyValues ? 0.8 : 0.6,
          reason: `reads as an answer to the pending question for ${pending.name}`,
        });
      }
    }

    if (!best) {
      return RouteDecision.parse({
        tool: null,
        params: {},
        confidence: 0,
        reason: ranked[0] && ranked[0].score > 0 ? `best match ${ranked[0].name} is below the threshold` : 'no tool matches',
      });
    }
    const tool = req.tools.find((t) => t.name === best.name)!;
    const ext = this.extractFor(tool, req.message, req.artifacts, vocabulary);
    return RouteDecision.parse({
      tool: tool.name,
      params: ext.params,
      confidence: toConfidence(best.score),
      reason: `matched ${best.matched.join(', ')}${best.phraseHit ? ' (example phrase)' : ''}`,
    });
  }

  /** The parameters this router can see in `message` for `tool` (exposed for reuse and tests). */
  extract(tool: ToolSpec, message: string, artifacts: readonly ArtifactHint[] = [], tools: readonly ToolSpec[] = [tool]): Extraction {
    return this.extractFor(tool, message, artifacts, vocabularyOf(tools));
  }

  async compress(context: Record<string, unknown>, options?: CompressOptions): Promise<Record<string, unknown>> {
    return offlineCompress(context, options);
  }

  private extractFor(tool: ToolSpec, message: string, artifacts: readonly ArtifactHint[], vocabulary: Set<string>): Extraction {
    try {
      return extractParams(message, readProps(tool.inputSchema), { artifacts, vocabulary });
    } catch {
      return { params: {}, coverage: 0 };
    }
  }
}

/**
 * A one-word answer (`orders`, `42`) to a pending question: taken as the value of the one parameter
 * the question asked for (coerced to its type), else of the tool's only plain string property,
 * provided the word is not a request word.
 */
function bareValue(tool: ToolSpec, message: string, vocabulary: Set<string>, asked: readonly string[]): Record<string, unknown> {
  const value = message.trim().replace(/^["'`]|["'`.!]$/g, '');
  if (!/^[\w.\-/:@]{1,200}$/.test(value) || STOPWORDS.has(value.toLowerCase()) || vocabulary.has(stem(value))) return {};
  const props = readProps(tool.inputSchema).filter((p) => !p.artifact && p.type !== 'object' && p.type !== 'array');
  const askedProps = props.filter((p) => asked.includes(p.name));
  if (askedProps.length === 1) {
    const p = askedProps[0]!;
    const v = coerce(p, value, false);
    return v === undefined ? {} : { [p.name]: v };
  }
  if (asked.length > 0) return {};
  const strings = props.filter((p) => p.type === 'string' && !p.enumValues);
  return strings.length === 1 ? { [strings[0]!.name]: value } : {};
}
