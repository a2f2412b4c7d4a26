import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Checkpoint } from './checkpoint.js';

/** The stored item: the checkpoint plus its partition key. */
interface CheckpointItem extends Checkpoint {
  sessionId: string;
}

function toCheckpoint(item: Record<string, unknown>): Checkpoint {
  return Checkpoint.parse({ label: item.label, snapshotId: item.snapshotId, createdAt: item.createdAt });
}

/** DynamoDB access to the checkpoints table (partition `sessionId`, sort `label`). */
export class CheckpointTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(sessionId: string, label: string): Promise<Checkpoint | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { sessionId, label }, ConsistentRead: true }));
    return r.Item ? toCheckpoint(r.Item) : undefined;
  }

  /**
   * Writes the checkpoint. Without `overwrite` the put is conditional on the label being free and
   * returns `{ created: false }` when it is taken; with it, returns the checkpoint it replaced.
   */
  async put(sessionId: string, cp: Checkpoint, overwrite: boolean): Promise<{ created: boolean; replaced?: Checkpoint }> {
    const item: CheckpointItem = { sessionId, ...cp };
    try {
      const r = await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(overwrite ? { ReturnValues: 'ALL_OLD' as const } : { ConditionExpression: 'attribute_not_exists(sessionId)' }),
        }),
      );
      return { created: true, ...(r.Attributes ? { replaced: toCheckpoint(r.Attributes) } : {}) };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return { created: false };
      throw err;
    }
  }

  /** Deletes the checkpoint and returns it; undefined when there was none. */
  async delete(sessionId: string, label: string): Promise<Checkpoint | undefined> {
    try {
      const r = await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { sessionId, label },
          ConditionExpression: 'attribute_exists(sessionId)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      return r.Attributes ? toCheckpoint(r.Attributes) : undefined;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  /** Every checkpoint of the session (all pages), unordered. */
  async list(sessionId: string): Promise<Checkpoint[]> {
    const out: Checkpoint[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'sessionId = :s',
          ExpressionAttributeValues: { ':s': sessionId },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of r.Items ?? []) out.push(toCheckpoint(item));
      startKey = r.LastEvaluatedKey;
    } while (startKey);
    return out;
  }
}
