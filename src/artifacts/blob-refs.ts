import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Services } from '../infra/services.js';
import type { Logger } from '../logger.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { isConditionFailed, isS3NotFound } from './dynamo-errors.js';

/**
 * References to S3 objects (the `blobs` table: `{ s3Key, refs, createdAt }`, `refs` being the string
 * set of artifact ids that use the object). Every change is a set operation, so it is idempotent: an
 * SDK retry of an acquire or a release whose response was lost changes nothing the second time
 * (a counter would be bumped twice). An object is deleted only once its set is empty, and an empty
 * set never fills again (acquire requires `refs` to exist; DynamoDB drops an emptied set), so a late
 * share cannot resurrect an object that is being deleted. A crash between steps can leak an object;
 * it can never delete one that an artifact still refers to.
 */
export class BlobRefs {
  constructor(
    private readonly services: Services,
    private readonly log?: Logger,
  ) {}

  private get table(): string {
    return this.services.tables.blobs;
  }

  /**
   * Records `artifactId` as the first reference to a freshly uploaded object. Safe to repeat for the
   * same artifact (a retried deterministic write joins its own item); fails with a conditional-check
   * error when the object is referenced by others only or is being deleted.
   */
  async create(s3Key: string, artifactId: string, createdAt: string): Promise<void> {
    await this.services.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { s3Key },
        UpdateExpression: 'SET createdAt = if_not_exists(createdAt, :at) ADD #refs :ids',
        ConditionExpression: 'attribute_not_exists(s3Key) OR contains(#refs, :id)',
        ExpressionAttributeNames: { '#refs': 'refs' },
        ExpressionAttributeValues: { ':at': createdAt, ':ids': new Set([artifactId]), ':id': artifactId },
      }),
    );
  }

  /** Adds `artifactId` as a reference to a live object; NotFoundError when it is gone or being deleted. */
  async acquire(s3Key: string, artifactId: string): Promise<void> {
    try {
      await this.services.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { s3Key },
          UpdateExpression: 'ADD #refs :ids',
          ConditionExpression: 'attribute_exists(#refs)',
          ExpressionAttributeNames: { '#refs': 'refs' },
          ExpressionAttributeValues: { ':ids': new Set([artifactId]) },
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFoundError(`artifact content ${s3Key} is no longer available`, { cause: err });
      throw err;
    }
  }

  /**
   * Drops `artifactId`'s reference (idempotent: dropping it twice is dropping it once). When no
   * reference is left, deletes the S3 object, then the blob item (conditional on the set still being
   * empty). Returns true when the object was deleted.
   */
  async release(s3Key: string, artifactId: string): Promise<boolean> {
    let left: Set<string> | undefined;
    try {
      const r = await this.services.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { s3Key },
          UpdateExpression: 'DELETE #refs :ids',
          ConditionExpression: 'attribute_exists(s3Key)',
          ExpressionAttributeNames: { '#refs': 'refs' },
          ExpressionAttributeValues: { ':ids': new Set([artifactId]) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const refs = r.Attributes?.refs as Set<string> | undefined;
      left = refs instanceof Set && refs.size > 0 ? refs : undefined;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      // No item: already released and deleted (a repeat), or never recorded. Without an item we
      // cannot know who else refers to the object, so it is kept (a leak, never a break).
      this.log?.debug({ s3Key }, 'blob reference missing on release; object kept');
      return false;
    }
    if (left) return false;
    try {
      await this.services.s3.send(new DeleteObjectCommand({ Bucket: this.services.bucket, Key: s3Key }));
    } catch (err) {
      if (!isS3NotFound(err)) throw err;
    }
    try {
      await this.services.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { s3Key },
          ConditionExpression: 'attribute_not_exists(#refs)',
          ExpressionAttributeNames: { '#refs': 'refs' },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    return true;
  }

  /** The artifact ids that refer to an object (empty when none or unknown). */
  async referrers(s3Key: string): Promise<string[]> {
    const r = await this.services.doc.send(new GetCommand({ TableName: this.table, Key: { s3Key }, ConsistentRead: true }));
    const refs = r.Item?.refs as Set<string> | undefined;
    return refs instanceof Set ? [...refs].sort() : [];
  }
}
