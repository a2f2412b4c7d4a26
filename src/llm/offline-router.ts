import { ValidationError } from '../errors/index.js';
import { offlineCompress } from './offline-compress.js';
import { byFileKind, rankIntents, takesKind } from './offline-intents.js';
import { MIN_SCORE, rankScores, scoreTools, toConfidence } from './offline-score.js';
import { coerce, extractParams, type Extraction } from './param-extract.js';
import { decisionOf, RouteDecision, RouteRequest, type ArtifactHint, type CompressOptions, type LlmClient, type ToolSpec } from './llm.js';
import { readProps } from './schema-props.js';
import { contentTokens, splitIdentifier, stem, STOPWORDS, words } from './text.js';
import { fixTypos, TypoVocabulary } from './typo-fix.js';

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
 * threshold it answers `{ tool: null }`. Ties go to `preferredWorkflows` order, then to the name. One
 * parameter given several values joined by "and" (`postgres and bigquery`) is one request per value.
 * Below the threshold, the kind of the first artifact (the attachment, else the latest) may pick the
 * clearly best tool for that kind of file (see `byFileKind`).
 * With `pendingWorkflow`, a message that reads like an answer (mostly parameter values) goes to it.
 */
export class OfflineLlm implements LlmClient {
  readonly kind = 'offline' as const;
  private readonly minScore: number;
  private readonly shortAnswerWords: number;
  /** The checked tools and their word indexes, per tools array seen (the registry's is reused). */
  private readonly byTools = new WeakMap<readonly unknown[], { tools: ToolSpec[]; vocabulary: Set<string>; typos: TypoVocabulary }>();

  constructor(options: OfflineLlmOptions = {}) {
    this.minScore = options.minScore ?? MIN_SCORE;
    this.shortAnswerWords = options.shortAnswerWords ?? 3;
  }

  async route(request: RouteRequest): Promise<RouteDecision> {
    return this.routeSync(request);
  }

  /** `route` without the promise (the Anthropic client reuses it as its fallback). */
  routeSync(input: RouteRequest): RouteDecision {
    // The tools (large JSON schemas) are checked and indexed once per array: a registry hands out the same one.
    const known = this.byTools.get(input.tools);
    const parsed = RouteRequest.safeParse(known ? { ...input, tools: [] } : input);
    if (!parsed.success) throw new ValidationError('invalid route request', { details: parsed.error.issues });
    const req = known ? { ...parsed.data, tools: known.tools } : parsed.data;
    const index = known ?? { tools: req.tools, vocabulary: vocabularyOf(req.tools), typos: new TypoVocabulary(req.tools) };
    if (!known) this.byTools.set(input.tools, index);
    const { vocabulary } = index;
    // Typos against the tools' own words first ("snowflak" → snowflake), so scoring and extraction see the fixed text.
    const { text: message, corrections } = fixTypos(req.message, index.typos);
    const fixedNote = corrections.length ? ` (read ${corrections.map(([a, b]) => `"${a}" as "${b}"`).join(', ')})` : '';
    const ranked = rankScores(scoreTools(message, req.tools), req.preferredWorkflows);
    const best = ranked[0] && ranked[0].score >= this.minScore ? ranked[0] : undefined;

    const pending = req.pendingWorkflow ? req.tools.find((t) => t.name === req.pendingWorkflow) : undefined;
    if (pending) {
      const ext = this.extractFor(pending, message, req.artifacts, vocabulary);
      const contentWords = words(message).filter((w) => !STOPWORDS.has(w));
      const strongElsewhere = best !== undefined && best.name !== pending.name && best.score >= 2 * this.minScore;
      const mostlyValues = Object.keys(ext.params).length > 0 && ext.coverage >= 0.5;
      const shortAnswer = contentWords.length > 0 && contentWords.length <= this.shortAnswerWords && !strongElsewhere;
      // The raw message, not the typo-fixed one: an answer is the user's own words.
      // …unless it repeats the request itself ("write a report" again).
      const repeatsRequest = (ranked.find((r) => r.name === pending.name)?.phraseCover ?? 0) >= 0.5;
      const free = !strongElsewhere && !repeatsRequest && Object.keys(ext.params).length === 0 ? freeTextValue(pending, req.message, req.pendingParams ?? []) : {};
      if (mostlyValues || shortAnswer || Object.keys(free).length) {
        const params = { ...ext.params, ...free };
        if (Object.keys(params).length === 0) Object.assign(params, bareValue(pending, req.message, vocabulary, req.pendingParams ?? []));
        return decisionOf([{ tool: pending.name, params }], mostlyValues ? 0.8 : 0.6, `reads as an answer to the pending question for ${pending.name}${fixedNote}`);
      }
    }

    let intents = rankIntents(message, req.tools, req.preferredWorkflows, this.minScore);
    // Nothing at the threshold, or one tool for another kind of file that the message does not name
    // ("any errors in this file?" with a JIL attached is not csv.profile): the file may say which tool is meant.
    const kind = req.artifacts[0]?.kind;
    const wrongKind = intents.length === 1 && intents[0]!.nameHits.length === 0 && !takesKind(req.tools.find((t) => t.name === intents[0]!.name)!, kind);
    const byKind = intents.length === 0 || wrongKind ? byFileKind(message, req.tools, req.preferredWorkflows, this.minScore, kind) : null;
    if (byKind) intents = [byKind];
    if (intents.length === 0) {
      return decisionOf([], 0, ranked[0] && ranked[0].score > 0 ? `best match ${ranked[0].name} is below the threshold` : 'no tool matches');
    }
    const found = intents.flatMap((i) => {
      const tool = req.tools.find((t) => t.name === i.name)!;
      const ext = this.extractFor(tool, message, req.artifacts, vocabulary);
      // "DDL in postgres and bigquery": one request per value of the one parameter given several
      const several = Object.entries(ext.alternatives ?? {});
      if (several.length === 1) {
        const [key, values] = several[0]!;
        return values.map((v) => ({ tool: tool.name, params: { ...ext.params, [key]: v } }));
      }
      return [{ tool: tool.name, params: ext.params }];
    });
    const first = intents[0]!;
    const why = intents.map((i) => `${i.name}: matched ${i.matched.join(', ')}${i.phraseHit ? ' (example phrase)' : ''}`).join('; ');
    return decisionOf(found, toConfidence(Math.min(...intents.map((i) => i.score), first.score)), `${why}${fixedNote}`);
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

/** Lead-ins of a free-text answer: "call it …", "it's …", "the title is …". */
const ANSWER_LEAD_IN = /^(?:(?:ok(?:ay)?|sure|yes)[,.!]?\s+)?(?:(?:please\s+)?(?:call|name|title|make)\s+it\s+|it\s+is\s+|it's\s+|use\s+|the\s+[a-z]+\s+(?:is|should be)\s+|[a-z]+\s*:\s*)/i;

/** Longest free-text answer taken, in words. */
const MAX_ANSWER_WORDS = 16;

/**
 * An unquoted free-text answer (`Quarterly sales review`) to a pending question that asked for
 * exactly one plain string parameter: the whole message, lead-in, quotes and trailing punctuation
 * removed. Nothing when the question asked for something else or the text is an artifact id.
 */
function freeTextValue(tool: ToolSpec, message: string, asked: readonly string[]): Record<string, unknown> {
  const props = readProps(tool.inputSchema).filter((p) => asked.includes(p.name));
  if (props.length !== 1) return {};
  const p = props[0]!;
  if (p.type !== 'string' || p.enumValues || p.artifact) return {};
  const value = message
    .trim()
    .replace(ANSWER_LEAD_IN, '')
    .replace(/^["'`\u201c\u2018]+|["'`\u201d\u2019]+$/g, '')
    .replace(/[.!]+$/, '')
    .trim();
  if (!value || /art_[A-Za-z0-9_-]+/.test(value) || value.split(/\s+/).length > MAX_ANSWER_WORDS || value.length > 200) return {};
  if (STOPWORDS.has(value.toLowerCase())) return {};
  return { [p.name]: value };
}
