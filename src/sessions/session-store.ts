import { DeleteCommand, GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESSIONS_BY_USER_INDEX } from '../infra/tables.js';
import { isConditionFailed, queryUpTo } from './dynamo-util.js';
import type { Session } from './session.js';
import { itemToSession, type SessionItem } from './session-item.js';

/** Session item fields `update` may SET (everything but keys, counters and the version). */
export type SessionItemPatch = Partial<
  Pick<SessionItem, 'globalContext' | 'activeWorkflows' | 'artifactRefs' | 'preferences' | 'status' | 'metadata' | 'pendingRequest'>
>;

const LIVE = 'attribute_exists(sessionId) AND attribute_not_exists(deleting)';

/** DynamoDB side of session items (the sessions table and its byUser index). */
export class SessionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(item: SessionItem): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(sessionId)' }));
  }

  /** The raw item (consistent read), including one that is being deleted. */
  async getItem(sessionId: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { sessionId }, ConsistentRead: true }));
    return out.Item;
  }

  /** The session, or undefined if absent or being deleted. */
  async get(sessionId: string): Promise<Session | undefined> {
    const item = await this.getItem(sessionId);
    return item && item.deleting !== true ? itemToSession(item) : undefined;
  }

  /**
   * SETs `patch` (and `lastActive` when `now` is given) if the stored version is still
   * `expectedVersion`, incrementing the version. Returns the new session, or undefined when the
   * condition failed (another writer got in first, or the session is gone).
   */
  async updateIfVersion(sessionId: string, expectedVersion: number, patch: SessionItemPatch, now: string | undefined): Promise<Session | undefined> {
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': expectedVersion, ':next': expectedVersion + 1 };
    const sets = ['#version = :next'];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    if (now !== undefined) {
      names['#lastActive'] = 'lastActive';
      values[':lastActive'] = now;
      sets.push('#lastActive = :lastActive');
    }
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { sessionId },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `${LIVE} AND #version = :expected`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? itemToSession(out.Attributes) : undefined;
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  /** One page of a user's sessions, newest `lastActive` first. */
  async byUser(
    userId: string,
    activeOnly: boolean,
    limit: number,
    startKey: Record<string, unknown> | undefined,
  ): Promise<{ items: Session[]; lastKey: Record<string, unknown> | undefined }> {
    const { items, lastKey } = await queryUpTo(
      this.doc,
      {
        TableName: this.table,
        IndexName: SESSIONS_BY_USER_INDEX,
        KeyConditionExpression: 'userId = :u',
        FilterExpression: activeOnly ? '#status = :active AND attribute_not_exists(deleting)' : 'attribute_not_exists(deleting)',
        ExpressionAttributeNames: activeOnly ? { '#status': 'status' } : undefined,
        ExpressionAttributeValues: activeOnly ? { ':u': userId, ':active': 'active' } : { ':u': userId },
        ScanIndexForward: false,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      },
      limit,
    );
    return { items: items.map(itemToSession), lastKey };
  }

  /** Pages of `{ sessionId }` of live sessions inactive since before `cutoff` and not yet expired. */
  async *inactiveSince(cutoff: string): AsyncGenerator<string[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'lastActive < :cutoff AND #status <> :expired AND attribute_not_exists(deleting)',
          ProjectionExpression: 'sessionId',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cutoff': cutoff, ':expired': 'expired' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      yield (out.Items ?? []).map((i) => String(i.sessionId));
      start = out.LastEvaluatedKey;
    } while (start);
  }

  /**
   * Sets status `expired` (and bumps the version) if the session is still inactive since before
   * `cutoff` and not expired. Returns the new version, or undefined if the condition failed.
   */
  async expire(sessionId: string, cutoff: string): Promise<number | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { sessionId },
          UpdateExpression: 'SET #status = :expired ADD #version :one',
          ConditionExpression: `${LIVE} AND lastActive < :cutoff AND #status <> :expired`,
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: { ':expired': 'expired', ':cutoff': cutoff, ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.version);
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  /** Flags the session as being deleted (new appends and reads then fail). False if it does not exist. */
  async markDeleting(sessionId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { sessionId },
          UpdateExpression: 'SET deleting = :t',
          ConditionExpression: 'attribute_exists(sessionId)',
          ExpressionAttributeValues: { ':t': true },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Pages of ids of sessions flagged as being deleted (a delete that did not finish). */
  async *flaggedDeleting(): AsyncGenerator<string[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'attribute_exists(deleting)',
          ProjectionExpression: 'sessionId',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      yield (out.Items ?? []).map((i) => String(i.sessionId));
      start = out.LastEvaluatedKey;
    } while (start);
  }

  async delete(sessionId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { sessionId } }));
  }
}
