import { BatchGetCommand, type BatchGetCommandOutput, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Services } from '../infra/services.js';
import { NotFoundError } from '../errors/not-found-error.js';
import type { Artifact } from './artifact.js';
import { isConditionFailed } from './dynamo-errors.js';
import { fromItem, toItem } from './item-codec.js';

const BATCH_GET_MAX = 100;

/** Low-level reads and guarded writes of artifact metadata items. */
export class ArtifactTable {
  constructor(private readonly services: Services) {}

  private get table(): string {
    return this.services.tables.artifacts;
  }

  /** Strongly consistent read; undefined when missing. */
  async read(artifactId: string): Promise<Artifact | undefined> {
    const r = await this.services.doc.send(new GetCommand({ TableName: this.table, Key: { artifactId }, ConsistentRead: true }));
    return r.Item ? fromItem(r.Item) : undefined;
  }

  /** Strongly consistent reads of many ids (missing ones are absent from the map). */
  async readMany(ids: Iterable<string>): Promise<Map<string, Artifact>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, Artifact>();
    for (let i = 0; i < unique.length; i += BATCH_GET_MAX) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + BATCH_GET_MAX).map((artifactId) => ({ artifactId }));
      for (let attempt = 0; keys && keys.length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const r: BatchGetCommandOutput = await this.services.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of r.Responses?.[this.table] ?? []) {
          const a = fromItem(item);
          out.set(a.artifactId, a);
        }
        keys = r.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return out;
  }

  /** Creates the item; fails if the id exists. */
  async create(a: Artifact): Promise<void> {
    await this.services.doc.send(
      new PutCommand({ TableName: this.table, Item: toItem(a), ConditionExpression: 'attribute_not_exists(artifactId)' }),
    );
  }

  /** Deletes the item and returns what it held; NotFoundError when it did not exist. */
  async remove(artifactId: string): Promise<Artifact> {
    try {
      const r = await this.services.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { artifactId },
          ConditionExpression: 'attribute_exists(artifactId)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      return fromItem(r.Attributes ?? {});
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFoundError(`artifact ${artifactId} not found`, { cause: err });
      throw err;
    }
  }

  /** `ADD accessCount 1, SET lastAccessed` atomically; returns the updated artifact. */
  async touch(artifactId: string, at: string): Promise<Artifact> {
    try {
      const r = await this.services.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { artifactId },
          UpdateExpression: 'ADD accessCount :one SET lastAccessed = :at',
          ConditionExpression: 'attribute_exists(artifactId)',
          ExpressionAttributeValues: { ':one': 1, ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(r.Attributes ?? {});
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFoundError(`artifact ${artifactId} not found`, { cause: err });
      throw err;
    }
  }

  /**
   * Atomically adds (`ADD`) or removes (`DELETE`) one id in a string-set attribute of an existing
   * item. Returns whether the id was in the set before; NotFoundError when the item is missing.
   */
  async editSet(artifactId: string, attribute: 'parentArtifacts' | 'childArtifacts', op: 'ADD' | 'DELETE', id: string): Promise<boolean> {
    try {
      const r = await this.services.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { artifactId },
          UpdateExpression: `${op} #set :ids`,
          ConditionExpression: 'attribute_exists(artifactId)',
          ExpressionAttributeNames: { '#set': attribute },
          ExpressionAttributeValues: { ':ids': new Set([id]) },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const before = r.Attributes?.[attribute] as Set<string> | undefined;
      return before instanceof Set ? before.has(id) : false;
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFoundError(`artifact ${artifactId} not found`, { cause: err });
      throw err;
    }
  }
}
