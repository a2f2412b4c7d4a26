import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Services } from '../infra/services.js';
import type { Logger } from '../logger.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { isConditionFailed, isS3NotFound } from './dynamo-errors.js';

/**
 * Reference counts of S3 objects (the `blobs` table: `{ s3Key, refCount }`). An object is deleted
 * only after its count reached 0, and a count that reached 0 can never rise again (acquire requires
 * `refCount > 0`), so a late share cannot resurrect an object that is being deleted. A crash between
 * steps can leak an object; it can never delete one that an artifact still refers to.
 */
export class BlobRefs {
  constructor(
    private readonly services: Services,
    private readonly log?: Logger,
  ) {}

  private get table(): string {
    return this.services.tables.blobs;
  }

  /** Records the first reference to a freshly uploaded object. */
  async create(s3Key: string, createdAt: string): Promise<void> {
    await this.services.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { s3Key, refCount: 1, createdAt },
        ConditionExpression: 'attribute_not_exists(s3Key)',
      }),
    );
  }

  /** Adds a reference to a live object; NotFoundError when it is gone or being deleted. */
  async acquire(s3Key: string): Promise<number> {
    try {
      const r = await this.services.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { s3Key },
          UpdateExpression: 'ADD refCount :one',
          ConditionExpression: 'attribute_exists(s3Key) AND refCount > :zero',
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(r.Attributes?.refCount ?? 0);
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFoundError(`artifact content ${s3Key} is no longer available`, { cause: err });
      throw err;
    }
  }

  /**
   * Drops one reference; at 0 deletes the S3 object, then the blob item (conditional on the count
   * still being ≤ 0). Returns true when the object was deleted.
   */
  async release(s3Key: string): Promise<boolean> {
    let left: number;
    try {
      const r = await this.services.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { s3Key },
          UpdateExpression: 'ADD refCount :minusOne',
          ConditionExpression: 'attribute_exists(s3Key)',
          ExpressionAttributeValues: { ':minusOne': -1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      left = Number(r.Attributes?.refCount ?? 0);
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      // No count means we cannot know who else refers to it: keep the object (a leak, never a break).
      this.log?.warn({ s3Key }, 'blob reference missing on release; object kept');
      return false;
    }
    if (left > 0) return false;
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
          ConditionExpression: 'refCount <= :zero',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    return true;
  }
}
