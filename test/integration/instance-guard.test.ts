import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { createServices } from '../../src/infra/services.js';
import { storageClaimKey } from '../../src/infra/storage-claim.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;

beforeAll(async () => {
  t = await startTestServices();
});
afterAll(async () => t?.cleanup());

describe('instances that share a queue prefix', () => {
  it('the first start records its storage under the prefix', async () => {
    const recorded = JSON.parse((await t.services.redis.get(storageClaimKey(t.config.redis.queuePrefix)))!) as Record<string, string>;
    expect(recorded).toEqual({
      dynamodb: t.env.DYNAMODB_ENDPOINT,
      s3: t.env.S3_ENDPOINT,
      tables: `dataops_*${t.env.DATAOPS_TABLE_SUFFIX}`,
      bucket: t.env.DATAOPS_BUCKET,
    });
  });

  it('a second process with the same storage starts', async () => {
    const again = await createServices(loadConfig(t.env));
    await again.close();
  });

  it.each([
    ['another bucket', { DATAOPS_BUCKET: 'some-other-bucket' }, /bucket recorded test-[0-9a-f]+, this process some-other-bucket/],
    ['another table suffix', { DATAOPS_TABLE_SUFFIX: '_elsewhere' }, /tables recorded/],
    ['another DynamoDB', { DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' }, /dynamodb recorded/],
  ])('a process with %s refuses to start, naming DATAOPS_QUEUE_PREFIX', async (_what, env, detail) => {
    const err = await createServices(loadConfig({ ...t.env, ...env, DATAOPS_BOOTSTRAP: 'false' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`DATAOPS_QUEUE_PREFIX=${t.config.redis.queuePrefix}`);
    expect((err as Error).message).toMatch(detail);
    // the record is untouched
    expect(await t.services.redis.get(storageClaimKey(t.config.redis.queuePrefix))).toContain(t.env.DATAOPS_BUCKET);
  });

  it('the same storage under another prefix is another instance, and starts', async () => {
    const prefix = `${t.config.redis.queuePrefix}b`;
    const other = await createServices(loadConfig({ ...t.env, DATAOPS_QUEUE_PREFIX: prefix, DATAOPS_BUCKET: 'some-other-bucket', DATAOPS_BOOTSTRAP: 'false' }));
    try {
      expect(await other.redis.get(storageClaimKey(prefix))).toContain('some-other-bucket');
    } finally {
      await other.redis.del(storageClaimKey(prefix));
      await other.close();
    }
  });
});
