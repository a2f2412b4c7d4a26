/** When and how often the client repeats a request. */
export interface RetryOptions {
  /** Attempts in all, the first included (1 = never retry). Default 4. */
  attempts?: number;
  /** Backoff before the first retry, in ms; doubled each retry, with jitter (half fixed, half random). Default 200. */
  baseDelayMs?: number;
  /** Longest wait between two attempts, in ms (a longer Retry-After gives up instead). Default 10000. */
  maxDelayMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(o: RetryOptions = {}): ResolvedRetry {
  return { attempts: Math.max(1, o.attempts ?? 4), baseDelayMs: Math.max(0, o.baseDelayMs ?? 200), maxDelayMs: Math.max(0, o.maxDelayMs ?? 10_000) };
}

/** Statuses worth repeating: rate limited, or a dependency of the server is briefly down. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** `Retry-After` (delta-seconds or an HTTP date) in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before retry number `retry` (1 = the first retry): the server's Retry-After when it gave
 * one, else exponential backoff with full jitter. Undefined means "do not retry" (a Retry-After
 * longer than `maxDelayMs`: better to tell the caller than to sleep that long).
 */
export function retryDelayMs(retry: number, retryAfter: number | undefined, o: ResolvedRetry, random: () => number = Math.random): number | undefined {
  if (retryAfter !== undefined) return retryAfter > o.maxDelayMs ? undefined : retryAfter;
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
