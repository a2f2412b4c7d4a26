import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoEviction } from '../../src/infra/redis.js';
import { bootstrapTables } from '../../src/infra/tables.js';
import { bootstrapBucket } from '../../src/infra/bucket.js';
import { Queue } from 'bullmq';
import { assertNoLeakedConnections, startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;
beforeAll(async () => {
  t = await startTestServices();
});
afterAll(async () => t?.cleanup());

describe('infra over the real wire protocols', () => {
  it('creates every table and is idempotent on a second bootstrap', async () => {
    const { services } = t;
    await bootstrapTables(services.dynamo, services.tables);
    await bootstrapBucket(services.s3, services.bucket, 'us-east-1');
    const listed = await services.dynamo.send(new ListTablesCommand({}));
    for (const name of Object.values(services.tables)) expect(listed.TableNames).toContain(name);
  });

  it('round-trips an item through DynamoDB and an object through S3', async () => {
    const { services } = t;
    await services.doc.send(new PutCommand({ TableName: services.tables.blobs, Item: { s3Key: 'k1', refCount: 1 } }));
    const got = await services.doc.send(new GetCommand({ TableName: services.tables.blobs, Key: { s3Key: 'k1' } }));
    expect(got.Item).toEqual({ s3Key: 'k1', refCount: 1 });
    await services.s3.send(new PutObjectCommand({ Bucket: services.bucket, Key: 'a/b.txt', Body: 'hello' }));
    const obj = await services.s3.send(new GetObjectCommand({ Bucket: services.bucket, Key: 'a/b.txt' }));
    expect(await obj.Body!.transformToString()).toBe('hello');
  });

  it('Redis answers with noeviction', async () => {
    await expect(assertNoEviction(t.services.redis)).resolves.toMatch(/noeviction|unknown/);
  });

  it('the leak guard notices a queue left open, and is satisfied once it is closed', async () => {
    const tag = `${t.config.redis.queuePrefix}leak`;
    const q = new Queue('leaky', { connection: { ...t.services.bullConnection, connectionName: `${tag}:bull` }, prefix: `{${tag}}` });
    await q.getJobCounts();
    await new Promise((r) => setTimeout(r, 300)); // BullMQ names its connection just after it is ready
    await expect(assertNoLeakedConnections(t.config.redis, tag, 300)).rejects.toThrow(/left open/);
    await q.close();
    await expect(assertNoLeakedConnections(t.config.redis, tag)).resolves.toBeUndefined();
  });
});
