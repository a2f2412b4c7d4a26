import { isCluster, type RedisClient } from '../src/infra/redis.js';
import type { Logger } from '../src/logger.js';
import { SessionEvent, sessionChannel } from '../src/runtime/events.js';

/** Receives each event of a session already serialised (one JSON string for every socket). */
export type EventListener = (json: string, event: SessionEvent) => void;

/**
 * One Redis subscriber connection per API process, fanned out to every listener of a session.
 * Channels are ref-counted: the first listener of a session SUBSCRIBEs, the last one leaving
 * UNSUBSCRIBEs. Subscribe/unsubscribe of one channel are serialised, so a quick leave-and-rejoin
 * never ends unsubscribed. ioredis re-subscribes by itself after a reconnect. On a Redis Cluster the
 * channels are sharded (SSUBSCRIBE, one subscriber per master that owns a channel's slot), so an
 * event crosses only its own shard instead of the whole cluster bus.
 */
export class SessionEventHub {
  private sub: RedisClient | undefined;
  private readonly listeners = new Map<string, Set<EventListener>>();
  private readonly subscribed = new Set<string>();
  private readonly pending = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly log?: Logger,
  ) {}

  /** Channels currently subscribed on the shared connection (for tests and metrics). */
  get channelCount(): number {
    return this.subscribed.size;
  }

  private connection(): RedisClient {
    if (!this.sub) {
      const sub = isCluster(this.redis) ? this.redis.duplicate([], { shardedSubscribers: true }) : this.redis.duplicate();
      sub.on('error', (err: Error) => this.log?.warn({ err: err.message }, 'event subscriber connection error'));
      sub.on(isCluster(sub) ? 'smessage' : 'message', (channel: string, payload: string) => this.dispatch(channel, payload));
      this.sub = sub;
    }
    return this.sub;
  }

  private dispatch(channel: string, payload: string): void {
    const set = this.listeners.get(channel);
    if (!set || set.size === 0) return;
    let event: SessionEvent;
    try {
      const parsed = SessionEvent.safeParse(JSON.parse(payload));
      if (!parsed.success) return;
      event = parsed.data;
    } catch {
      return;
    }
    this.fanOut(set, event);
  }

  /** True when this process has a listener for the session (the QueueEvents bridge asks). */
  hasListeners(sessionId: string): boolean {
    return (this.listeners.get(sessionChannel(this.keyPrefix, sessionId))?.size ?? 0) > 0;
  }

  /** Hands an event produced in this process (the QueueEvents bridge) to the session's listeners. */
  deliver(sessionId: string, event: SessionEvent): void {
    const set = this.listeners.get(sessionChannel(this.keyPrefix, sessionId));
    if (!set || set.size === 0) return;
    const parsed = SessionEvent.safeParse(event);
    if (parsed.success) this.fanOut(set, parsed.data);
    else this.log?.warn({ type: (event as { type?: unknown }).type }, 'dropped a malformed session event');
  }

  private fanOut(set: Set<EventListener>, event: SessionEvent): void {
    const json = JSON.stringify(event);
    for (const l of [...set]) {
      try {
        l(json, event);
      } catch (err) {
        this.log?.warn({ err }, 'event listener threw');
      }
    }
  }

  /** Makes the Redis subscription of `channel` match whether it has listeners, after earlier changes. */
  private sync(channel: string): Promise<void> {
    const prev = this.pending.get(channel) ?? Promise.resolve();
    const next = prev.then(async () => {
      const want = (this.listeners.get(channel)?.size ?? 0) > 0 && !this.closed;
      const have = this.subscribed.has(channel);
      if (want && !have) {
        const sub = this.connection();
        await (isCluster(sub) ? sub.ssubscribe(channel) : sub.subscribe(channel));
        this.subscribed.add(channel);
      } else if (!want && have) {
        this.subscribed.delete(channel);
        if (this.sub) await (isCluster(this.sub) ? this.sub.sunsubscribe(channel) : this.sub.unsubscribe(channel));
      }
    });
    const settled = next.catch(() => undefined);
    this.pending.set(channel, settled);
    void settled.then(() => {
      if (this.pending.get(channel) === settled) this.pending.delete(channel);
    });
    return next;
  }

  /**
   * Adds a listener for a session's events. Resolves once Redis confirmed the subscription, so
   * every event published afterwards reaches the listener. Returns the function that removes it.
   */
  async subscribe(sessionId: string, listener: EventListener): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('event hub is closed');
    const channel = sessionChannel(this.keyPrefix, sessionId);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    const remove = async () => {
      const s = this.listeners.get(channel);
      if (!s?.delete(listener)) return;
      if (s.size === 0) this.listeners.delete(channel);
      await this.sync(channel).catch(() => undefined);
    };
    try {
      await this.sync(channel);
    } catch (err) {
      await remove();
      throw err;
    }
    return remove;
  }

  /** Drops every listener and closes the subscriber connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.subscribed.clear();
    const sub = this.sub;
    this.sub = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}
