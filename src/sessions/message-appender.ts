import { ConflictError } from '../errors/conflict-error.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { PayloadTooLargeError } from '../errors/payload-too-large-error.js';
import type { CacheGuard } from './cache-guard.js';
import { MAX_CONTENT_BYTES, NewMessage, newMessageId, type Message } from './message.js';
import type { MessageStore } from './message-store.js';
import { parseInput, sleep } from './parse-input.js';
import type { SeqAllocator, SeqGrant } from './seq-allocator.js';
import { ValidationError } from '../errors/validation-error.js';
import { SESSION_ID_PATTERN } from './session.js';

/** How `addMessage` may skip the idempotency claim of a message with a `messageId`. */
export interface AddMessageOptions {
  /**
   * The messageId was minted for this append alone, so no earlier attempt can have stored it:
   * appended like a message without an id (one seq, one put). Default false.
   */
  fresh?: boolean;
  /**
   * A seq taken with `reserveSeq` for this message and kept by the caller across its retries: the
   * message is put at that seq (a conditional put; a retry gets the stored message). Default none.
   */
  seq?: SeqGrant;
  /**
   * Also take the seq right after this message's (the same DynamoDB update) and hand it here, e.g.
   * for the reply, which then needs one put. Only with `fresh` or without a messageId (a claimed
   * append may find an earlier seq). Default none.
   */
  reserve?: (next: SeqGrant) => void;
}

/**
 * The append path of SessionManager.addMessage: take a seq, put the message as its own item, merge it
 * into the Redis tail — and, with a caller-supplied `messageId`, claim the id first so a repeat
 * returns the stored message (see SessionManager for the whole story).
 */
export class MessageAppender {
  constructor(
    private readonly messages: MessageStore,
    private readonly seqs: SeqAllocator,
    private readonly guard: CacheGuard,
    /** Brings an `expired` session back to `active` (called when the append found it expired). */
    private readonly reactivate: (sessionId: string) => Promise<void>,
  ) {}

  /** A seq for a message appended later with `add(…, { seq })`. */
  reserveSeq(sessionId: string): Promise<SeqGrant> {
    if (!SESSION_ID_PATTERN.test(sessionId)) return Promise.reject(new NotFoundError(`session ${sessionId} not found`));
    return this.seqs.next(sessionId);
  }

  /**
   * Appends a message and returns it with its seq. With `messageId`, a repeat of the same id
   * returns the stored message instead of appending a second one.
   */
  async add(sessionId: string, input: NewMessage, options: AddMessageOptions = {}): Promise<Message> {
    if (!SESSION_ID_PATTERN.test(sessionId)) throw new NotFoundError(`session ${sessionId} not found`);
    const raw = input as { content?: unknown };
    if (typeof raw.content === 'string' && Buffer.byteLength(raw.content, 'utf8') > MAX_CONTENT_BYTES) {
      throw new PayloadTooLargeError(`message content is larger than ${MAX_CONTENT_BYTES} bytes`);
    }
    const m = parseInput(NewMessage, input, 'message');
    const build = (messageId: string, seq: number, timestamp: string): Message => ({
      messageId,
      sessionId,
      seq,
      timestamp,
      role: m.role,
      content: m.content,
      workflow: m.workflow ?? null,
      artifacts: m.artifacts ?? [],
      metadata: m.metadata ?? {},
    });
    if (options.reserve && m.messageId !== undefined && !options.fresh) throw new ValidationError('reserve needs a fresh message');
    if (options.seq) {
      if (m.messageId === undefined) throw new ValidationError('a message appended at a reserved seq needs its messageId');
      const { seq, expired } = options.seq;
      // The put is conditional on the seq: a retry gets the message it stored the first time. Stamped
      // when written (a reply's seq is taken with its question, before the work that makes it).
      const stored = await this.messages.put(build(m.messageId, seq, new Date().toISOString()), false);
      await this.guard.mirror(stored);
      if (expired) await this.reactivate(sessionId);
      return stored;
    }
    if (m.messageId === undefined || options.fresh) {
      const take = 1 + (options.reserve ? 1 : 0);
      const { seq, timestamp, expired } = await this.seqs.next(sessionId, take);
      if (options.reserve) options.reserve({ seq: seq + 1, timestamp, expired: false });
      const stored = await this.messages.put(build(m.messageId ?? newMessageId(), seq, timestamp), false);
      await this.guard.mirror(stored);
      if (expired) await this.reactivate(sessionId);
      return stored;
    }
    return this.addIdempotent(sessionId, m.messageId, build);
  }

  private async addIdempotent(
    sessionId: string,
    messageId: string,
    build: (messageId: string, seq: number, timestamp: string) => Message,
  ): Promise<Message> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const claim = await this.messages.claim(sessionId, messageId, Date.now());
      if (claim.kind === 'busy') {
        await sleep(50 * Math.min(attempt + 1, 5));
        continue;
      }
      if (claim.kind === 'done') {
        const existing = await this.messages.get(sessionId, claim.seq);
        if (existing) {
          // The first writer may have died between DynamoDB and Redis: a repeat repairs the tail
          // (the merge is keyed by seq, so a message already there stays there once).
          await this.guard.mirror(existing);
          return existing;
        }
        continue;
      }
      let seq = claim.seq;
      let now = new Date().toISOString();
      let expired = false;
      if (seq === undefined) {
        try {
          ({ seq, timestamp: now, expired } = await this.seqs.next(sessionId));
        } catch (err) {
          await this.messages.releaseClaim(sessionId, messageId, claim.token).catch(() => undefined);
          throw err;
        }
        if (!(await this.messages.setClaimSeq(sessionId, messageId, claim.token, seq))) {
          throw new ConflictError(`message ${messageId} was taken over by another writer`);
        }
      }
      const stored = await this.messages.put(build(messageId, seq, now), true);
      await this.guard.mirror(stored);
      if (expired) await this.reactivate(sessionId);
      return stored;
    }
    throw new ConflictError(`message ${messageId} is being appended by another writer; retry later`);
  }
}
