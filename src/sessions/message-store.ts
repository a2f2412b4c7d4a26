import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../errors/conflict-error.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { AppError } from '../errors/app-error.js';
import { batchDelete, isConditionFailed, queryUpTo } from './dynamo-util.js';
import type { Message } from './message.js';
import { chunkPartition, claimKey, itemToMessage, messageToItems } from './message-item.js';

/** A claim older than this with no seq is assumed abandoned by a crashed writer and may be taken over. */
export const CLAIM_STALE_MS = 30_000;
/** How long the idempotency claim of a message id outlives its writer (native TTL, where available). */
const CLAIM_TTL_SECONDS = 90 * 24 * 3600;

/** What a claim attempt found. */
export type ClaimResult =
  | { kind: 'owned'; token: string; seq?: number }
  | { kind: 'done'; seq: number }
  | { kind: 'busy' };

/**
 * DynamoDB side of messages: sequence allocation on the session item, message items, chunk items
 * and idempotency claims in the messages table.
 */
export class MessageStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly sessionsTable: string,
    private readonly messagesTable: string,
  ) {}

  /**
   * Takes the next `count` seqs (default 1) with one atomic UpdateItem on the session item
   * (ADD messageCount count, SET lastActive) and returns the last of them: the block is
   * `last - count + 1 … last`, and whether the session was `expired` (the caller reactivates it).
   * NotFoundError if the session does not exist or is being deleted.
   */
  async allocateSeq(sessionId: string, now: string, count = 1): Promise<{ last: number; expired: boolean }> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.sessionsTable,
          Key: { sessionId },
          // `#status = if_not_exists(#status, …)` changes nothing; it makes UPDATED_NEW return the status.
          UpdateExpression: 'ADD messageCount :one SET lastActive = :now, #status = if_not_exists(#status, :active)',
          ConditionExpression: 'attribute_exists(sessionId) AND attribute_not_exists(deleting)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':one': count, ':now': now, ':active': 'active' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const seq = out.Attributes?.messageCount;
      if (typeof seq !== 'number') throw new AppError('corrupt_item', `session ${sessionId} returned no messageCount`);
      return { last: seq, expired: out.Attributes?.status === 'expired' };
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFoundError(`session ${sessionId} not found`, { cause: err });
      throw err;
    }
  }

  /**
   * Writes the message (chunks first, then the message item with attribute_not_exists). If the
   * seq is already taken by the same message id (a retry) the stored message is returned;
   * taken by another message is a ConflictError (never expected: a seq has one owner).
   */
  async put(m: Message, claimed: boolean): Promise<Message> {
    const { item, chunks } = messageToItems(m, claimed);
    await Promise.all(chunks.map((c) => this.doc.send(new PutCommand({ TableName: this.messagesTable, Item: c }))));
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.messagesTable, Item: item, ConditionExpression: 'attribute_not_exists(seq)' }),
      );
      return m;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const existing = await this.get(m.sessionId, m.seq);
      if (existing?.messageId === m.messageId) return existing;
      throw new ConflictError(`seq ${m.seq} of session ${m.sessionId} already holds another message`, { cause: err });
    }
  }

  /** The message at `seq`, or undefined (a hole or not yet written). */
  async get(sessionId: string, seq: number): Promise<Message | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.messagesTable, Key: { sessionId, seq }, ConsistentRead: true }));
    return out.Item ? this.resolve(out.Item) : undefined;
  }

  /** Turns a message item into a Message, reading its chunk items if it has any. */
  private async resolve(item: Record<string, unknown>): Promise<Message> {
    const chunks = typeof item.chunks === 'number' ? item.chunks : 0;
    if (chunks === 0) return itemToMessage(item);
    const partition = chunkPartition(String(item.sessionId), Number(item.seq));
    const { items } = await queryUpTo(
      this.doc,
      { TableName: this.messagesTable, KeyConditionExpression: 'sessionId = :p', ExpressionAttributeValues: { ':p': partition }, ConsistentRead: true },
      chunks,
    );
    if (items.length !== chunks) {
      throw new AppError('corrupt_item', `message ${String(item.messageId)} has ${items.length} of ${chunks} chunks`);
    }
    return itemToMessage(item, items.map((c) => String(c.content)).join(''));
  }

  private async resolveAll(items: Record<string, unknown>[]): Promise<Message[]> {
    return Promise.all(items.map((i) => this.resolve(i)));
  }

  /** The newest `count` messages, oldest first; `complete` when they reach the session's start. */
  async newest(sessionId: string, count: number): Promise<{ messages: Message[]; complete: boolean }> {
    const { items, lastKey } = await queryUpTo(
      this.doc,
      {
        TableName: this.messagesTable,
        KeyConditionExpression: 'sessionId = :s',
        ExpressionAttributeValues: { ':s': sessionId },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      count,
    );
    const messages = (await this.resolveAll(items)).reverse();
    return { messages, complete: items.length < count || (lastKey === undefined && items.length <= count) };
  }

  /** Up to `limit` messages with seq > `afterSeq`, oldest first, and whether more follow. */
  async page(sessionId: string, afterSeq: number, limit: number): Promise<{ messages: Message[]; more: boolean }> {
    const { items } = await queryUpTo(
      this.doc,
      {
        TableName: this.messagesTable,
        KeyConditionExpression: 'sessionId = :s AND seq > :after',
        ExpressionAttributeValues: { ':s': sessionId, ':after': afterSeq },
        ScanIndexForward: true,
        ConsistentRead: true,
      },
      limit + 1,
    );
    const more = items.length > limit;
    return { messages: await this.resolveAll(items.slice(0, limit)), more };
  }

  // ---- idempotency claims -------------------------------------------------------------------

  /**
   * Claims `messageId` in this session. `owned`: this caller must append it (`seq` set when a
   * crashed writer had already taken a seq — reuse it); `done`: already appended at `seq`;
   * `busy`: another writer is appending it right now.
   */
  async claim(sessionId: string, messageId: string, nowMs: number, depth = 0): Promise<ClaimResult> {
    const key = claimKey(sessionId, messageId);
    const token = randomUUID();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.messagesTable,
          Item: { ...key, messageId, token, claimedAt: nowMs, expiresAtEpoch: Math.floor(nowMs / 1000) + CLAIM_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(sessionId)',
        }),
      );
      return { kind: 'owned', token };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const out = await this.doc.send(new GetCommand({ TableName: this.messagesTable, Key: key, ConsistentRead: true }));
    const c = out.Item;
    if (!c) return depth < 3 ? this.claim(sessionId, messageId, nowMs, depth + 1) : { kind: 'busy' }; // released meanwhile
    if (typeof c.msgSeq === 'number') {
      // The seq is fixed: whoever puts the message first wins the conditional put, and the other
      // gets the same message back, so a retry may fill the seq of a writer that died before putting.
      if (await this.get(sessionId, c.msgSeq)) return { kind: 'done', seq: c.msgSeq };
      return { kind: 'owned', token: String(c.token), seq: c.msgSeq };
    }
    if (nowMs - Number(c.claimedAt) < CLAIM_STALE_MS) return { kind: 'busy' };
    return this.takeOver(key, c, nowMs);
  }

  /** Replaces the token of a stale claim that never got a seq (its writer is presumed dead). */
  private async takeOver(key: { sessionId: string; seq: number }, c: Record<string, unknown>, nowMs: number): Promise<ClaimResult> {
    const token = randomUUID();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.messagesTable,
          Key: key,
          UpdateExpression: 'SET #token = :new, claimedAt = :now',
          ConditionExpression: '#token = :old AND attribute_not_exists(msgSeq)',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':new': token, ':old': c.token, ':now': nowMs },
        }),
      );
      return { kind: 'owned', token };
    } catch (err) {
      if (isConditionFailed(err)) return { kind: 'busy' };
      throw err;
    }
  }

  /** Records the seq an owned claim got. False if the claim was taken over meanwhile. */
  async setClaimSeq(sessionId: string, messageId: string, token: string, seq: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.messagesTable,
          Key: claimKey(sessionId, messageId),
          UpdateExpression: 'SET msgSeq = :seq',
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':seq': seq, ':token': token },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Gives up an owned claim that has no seq yet (the append failed before taking one). */
  async releaseClaim(sessionId: string, messageId: string, token: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.messagesTable,
          Key: claimKey(sessionId, messageId),
          ConditionExpression: '#token = :token AND attribute_not_exists(msgSeq)',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': token },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  // ---- deletion -----------------------------------------------------------------------------

  /** Deletes every message item of the session with its chunk and claim items; returns how many messages. */
  async deleteAll(sessionId: string): Promise<number> {
    let deleted = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.messagesTable,
          KeyConditionExpression: 'sessionId = :s',
          ExpressionAttributeValues: { ':s': sessionId },
          ProjectionExpression: 'sessionId, seq, messageId, chunks, claimed',
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const keys: Record<string, unknown>[] = [];
      for (const it of out.Items ?? []) {
        const seq = Number(it.seq);
        keys.push({ sessionId, seq });
        if (it.claimed === true) keys.push(claimKey(sessionId, String(it.messageId)));
        const chunks = typeof it.chunks === 'number' ? it.chunks : 0;
        for (let i = 0; i < chunks; i++) keys.push({ sessionId: chunkPartition(sessionId, seq), seq: i });
      }
      await batchDelete(this.doc, this.messagesTable, keys);
      deleted += out.Items?.length ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return deleted;
  }
}
