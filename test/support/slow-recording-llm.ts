import type { CompressOptions, LlmClient, RouteDecision, RouteRequest } from '../../src/llm/llm.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Routes like the offline router, slowly and with jitter, recording per session (read from the
 * prompt's `Session: <id>` line) the order messages were routed in and how many overlapped.
 */
export class SlowRecordingLlm implements LlmClient {
  readonly kind = 'offline' as const;
  readonly order = new Map<string, string[]>();
  readonly maxOverlap = new Map<string, number>();
  private readonly active = new Map<string, number>();
  private readonly inner = new OfflineLlm();

  /** @param delayMs base routing delay (plus up to `jitterMs` more), default 5 + 40 */
  constructor(
    private readonly delayMs = 5,
    private readonly jitterMs = 40,
  ) {}

  async route(request: RouteRequest): Promise<RouteDecision> {
    const key = /Session: (\S+)/.exec(request.contextSummary ?? '')?.[1] ?? '?';
    const now = (this.active.get(key) ?? 0) + 1;
    this.active.set(key, now);
    this.maxOverlap.set(key, Math.max(this.maxOverlap.get(key) ?? 0, now));
    (this.order.get(key) ?? this.order.set(key, []).get(key)!).push(request.message);
    try {
      await sleep(this.delayMs + Math.random() * this.jitterMs);
      return await this.inner.route(request);
    } finally {
      this.active.set(key, this.active.get(key)! - 1);
    }
  }

  async compress(context: Record<string, unknown>, options?: CompressOptions): Promise<Record<string, unknown>> {
    return this.inner.compress(context, options);
  }
}
