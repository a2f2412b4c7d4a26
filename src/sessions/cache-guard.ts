import type { Logger } from '../logger.js';
import type { Message } from './message.js';
import type { SessionCache } from './session-cache.js';

/**
 * The session cache's failure policy: Redis only mirrors DynamoDB, so a failed cache operation is
 * logged, never thrown, and a failed write evicts (or drops the tail) so no reader trusts a stale entry.
 */
export class CacheGuard {
  constructor(
    readonly cache: SessionCache,
    private readonly log: Logger | undefined,
  ) {}

  /** Runs a cache write; if it fails, tries to evict so no reader sees a stale entry. */
  async write(sessionId: string, write: () => Promise<void>, tombstoneVersion: number): Promise<void> {
    try {
      await write();
    } catch (err) {
      this.failed(sessionId, 'write', err);
      await this.cache.evict(sessionId, tombstoneVersion).catch((e: unknown) => this.failed(sessionId, 'evict', e));
    }
  }

  /** Merges a stored message into the Redis tail; on failure drops the tail so no reader trusts it. */
  async mirror(m: Message): Promise<void> {
    try {
      await this.cache.addMessage(m);
    } catch (err) {
      this.failed(m.sessionId, 'append', err);
      await this.cache.dropTail(m.sessionId).catch((e: unknown) => this.failed(m.sessionId, 'drop tail', e));
    }
  }

  /** Logs a failed cache operation; returns undefined (a failed read is a miss). */
  failed(sessionId: string, op: string, err: unknown): undefined {
    this.log?.warn({ sessionId, op, err: err instanceof Error ? err.message : String(err) }, 'session cache operation failed');
    return undefined;
  }
}
