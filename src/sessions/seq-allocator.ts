import type { MessageStore } from './message-store.js';

/** A seq taken for one message, with the time written to the session's `lastActive`. */
export interface SeqGrant {
  seq: number;
  timestamp: string;
  /** The session was `expired` when the seq was taken (this append reactivates it). */
  expired: boolean;
}

interface Waiter {
  /** How many consecutive seqs this append takes (the first is granted; the rest follow it). */
  count: number;
  resolve: (grant: SeqGrant) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit of sequence numbers. While one `ADD messageCount` for a session is in flight, the
 * appends to that session arriving in this process queue up; the next UpdateItem takes one block
 * of seqs for all of them (`ADD messageCount :n`) and hands them out in arrival order. Every seq
 * handed out belongs to exactly one waiting append, which writes it — so batching adds no gaps,
 * and under load it turns n round trips on the (serialised) session item into one.
 */
export class SeqAllocator {
  private readonly queues = new Map<string, Waiter[]>();

  constructor(
    private readonly store: MessageStore,
    /** Largest block taken at once. Default 100. */
    private readonly maxBatch = 100,
  ) {}

  /**
   * The next seq of the session; with `count` > 1 a block of that many consecutive seqs, of which
   * the first is returned (the caller owns `seq … seq + count - 1`). Default 1.
   */
  next(sessionId: string, count = 1): Promise<SeqGrant> {
    return new Promise<SeqGrant>((resolve, reject) => {
      const queue = this.queues.get(sessionId);
      if (queue) {
        queue.push({ count, resolve, reject });
        return;
      }
      const fresh: Waiter[] = [{ count, resolve, reject }];
      this.queues.set(sessionId, fresh);
      void this.drain(sessionId, fresh);
    });
  }

  private async drain(sessionId: string, queue: Waiter[]): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, this.maxBatch);
        const timestamp = new Date().toISOString();
        try {
          const total = batch.reduce((n, w) => n + w.count, 0);
          const { last, expired } = await this.store.allocateSeq(sessionId, timestamp, total);
          let seq = last - total + 1;
          for (const w of batch) {
            w.resolve({ seq, timestamp, expired });
            seq += w.count;
          }
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.queues.delete(sessionId);
    }
  }
}
