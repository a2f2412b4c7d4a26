import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { NotFoundError } from '../../src/errors/index.js';
import { loseResponses, type LoseResponse } from '../support/lose-response.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;
let store: ArtifactStore;
let faults: LoseResponse;

beforeAll(async () => {
  t = await startTestServices();
  store = new ArtifactStore({ services: t.services, ttlDays: 30, maxBytes: 1024 * 1024 });
  faults = loseResponses(t.services.doc);
});
afterAll(async () => {
  faults?.remove();
  await t?.cleanup();
});

const base = { workflowName: 'wf', createdBy: 'test-node' } as const;

async function objectExists(key: string): Promise<boolean> {
  try {
    await t.services.s3.send(new HeadObjectCommand({ Bucket: t.services.bucket, Key: key }));
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}

/** Any write to the blobs table (reference changes). */
const blobWrite = (input: Record<string, unknown>) => input.TableName === t.services.tables.blobs && typeof input.UpdateExpression === 'string';

describe('blob references survive retried requests', () => {
  it('a release retried by the SDK after a lost response keeps the content a shared copy still uses', async () => {
    const original = await store.store({ ...base, sessionId: 's-a', content: 'shared bytes' });
    const copy = await store.share(original.artifactId, 's-b');
    faults.arm(blobWrite);
    await store.delete(original.artifactId);
    expect(faults.lost).toBe(1); // the release reached the server twice
    expect(await objectExists(original.s3Key)).toBe(true);
    expect(await store.getText(copy.artifactId)).toBe('shared bytes');
    await store.delete(copy.artifactId);
    expect(await objectExists(original.s3Key)).toBe(false);
  });

  it('an acquire retried by the SDK does not keep the object alive after every artifact is gone', async () => {
    const original = await store.store({ ...base, sessionId: 's-c', content: 'more bytes' });
    faults.arm(blobWrite);
    const copy = await store.share(original.artifactId, 's-d');
    expect(faults.lost).toBe(2); // one more lost response, on the acquire
    await store.delete(original.artifactId);
    expect(await store.getText(copy.artifactId)).toBe('more bytes');
    await store.delete(copy.artifactId);
    expect(await objectExists(original.s3Key)).toBe(false);
    await expect(store.get(copy.artifactId)).rejects.toBeInstanceOf(NotFoundError);
  });
});
