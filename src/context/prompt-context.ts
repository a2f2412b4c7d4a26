import { createHash } from 'node:crypto';
import type { RedisClient } from '../infra/redis.js';
import type { LlmClient } from '../llm/llm.js';
import { CHARS_PER_TOKEN, estimateTokens } from '../llm/offline-compress.js';
import type { Logger } from '../logger.js';
import { formatContextSummary } from '../sessions/context-summary.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Session } from '../sessions/session.js';
import { sessionSideKeys } from '../sessions/session-keys.js';

/** Options of `ContextManager.promptSummary`. */
export interface PromptSummaryOptions {
  /** Token budget of the whole summary (≈ 4 characters per token). */
  budgetTokens: number;
  /** Messages to include. Default the session's `preferences.maxContextMessages`. */
  maxMessages?: number;
  /** Model for the LLM. Default the session's allowed `preferences.defaultModel`, else the operator's. */
  model?: string;
  /** The session as the caller just read it (saves reading it again). Default: read here. */
  session?: Session;
}

/** A prompt summary and whether its session context was compressed to fit the budget. */
export interface PromptSummary {
  text: string;
  compressed: boolean;
}

/** Redis key of the cached compressed context of a session (under the session's hash tag). */
export function promptContextKey(keyPrefix: string, sessionId: string): string {
  return sessionSideKeys(keyPrefix, sessionId).promptContext;
}

interface Cached {
  from: string;
  target: number;
  context: Record<string, unknown>;
}

/**
 * The session as prompt text, with the session context compressed *for the prompt only* when the
 * session prefers `autoCompressContext` and the summary is over budget. The stored globalContext
 * is never written: it is the user's data. The compressed form is cached in Redis beside the
 * session (keyed by a hash of the context it came from and the target size), so repeated prompts
 * of an unchanged context do not compress again; any change to the context misses the cache.
 */
export class PromptContext {
  constructor(
    private readonly sessions: SessionManager,
    private readonly llm: LlmClient,
    private readonly cache: { redis: RedisClient; keyPrefix: string; ttlMs: number } | undefined,
    private readonly log?: Logger,
  ) {}

  async summary(sessionId: string, options: PromptSummaryOptions): Promise<PromptSummary> {
    // with the count known, the session and its recent messages are read together
    const [session, early] = await Promise.all([
      options.session ?? this.sessions.get(sessionId),
      options.maxMessages !== undefined ? this.sessions.getRecentMessages(sessionId, options.maxMessages) : undefined,
    ]);
    const recent = early ?? (await this.sessions.getRecentMessages(sessionId, session.preferences.maxContextMessages));
    const text = formatContextSummary(session, recent);
    const budget = options.budgetTokens;
    if (!session.preferences.autoCompressContext) return { text, compressed: false };
    const summaryTokens = Math.ceil(text.length / CHARS_PER_TOKEN);
    if (summaryTokens <= budget) return { text, compressed: false };
    const prettyContextTokens = Math.ceil(JSON.stringify(session.globalContext, null, 2).length / CHARS_PER_TOKEN);
    const target = Math.max(Math.floor(budget / 4), budget - (summaryTokens - prettyContextTokens));
    if (estimateTokens(session.globalContext) <= target) return { text, compressed: false };
    const from = createHash('sha256').update(JSON.stringify(session.globalContext)).digest('hex');
    let context = await this.cached(sessionId, from, target);
    if (!context) {
      const model = options.model ?? this.sessions.modelFor(session);
      context = await this.llm.compress(session.globalContext, { maxTokens: target, ...(model ? { model } : {}) });
      await this.remember(sessionId, { from, target, context });
      this.log?.info({ sessionId, target, summaryTokens }, 'session context compressed for the prompt');
    }
    return { text: formatContextSummary({ ...session, globalContext: context }, recent), compressed: true };
  }

  private async cached(sessionId: string, from: string, target: number): Promise<Record<string, unknown> | undefined> {
    if (!this.cache) return undefined;
    try {
      const raw = await this.cache.redis.get(promptContextKey(this.cache.keyPrefix, sessionId));
      if (!raw) return undefined;
      const c = JSON.parse(raw) as Cached;
      return c.from === from && c.target === target ? c.context : undefined;
    } catch (err) {
      this.log?.warn({ sessionId, err: (err as Error).message }, 'could not read the compressed context cache');
      return undefined;
    }
  }

  private async remember(sessionId: string, c: Cached): Promise<void> {
    if (!this.cache) return;
    await this.cache.redis
      .set(promptContextKey(this.cache.keyPrefix, sessionId), JSON.stringify(c), 'PX', this.cache.ttlMs)
      .catch((err: unknown) => this.log?.warn({ sessionId, err: (err as Error).message }, 'could not cache the compressed context'));
  }
}
