import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDynamo, startEmbeddedS3 } from '../../src/infra/embedded.js';

/*
 * Closing an embedded server while requests are in flight: each request the server began is finished
 * and answered (it waits for them), later ones are refused or reset before they begin, nothing is left
 * half-done (reopened on the same files, the data is exactly what was answered) and nothing throws out
 * of the server.
 * Before the drain, dynalite closed its database under an UpdateItem half-way through and the process
 * got an uncaught "Database is closed" (seen at the end of a CI run).
 */

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);
process.on('uncaughtException', onUncaught);
const dirs: string[] = [];

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'dataops-embedded-close-'));
  dirs.push(d);
  return d;
}

type Outcome = 'answered' | 'refused' | 'reset' | 'other';

/**
 * answered: the server replied; refused: it was no longer listening; reset: its connection was closed
 * before the server began the request (a keep-alive socket dropped at the end; the SDK retries these);
 * other: anything else (a bug).
 */
function outcomeOf(e: unknown): Outcome {
  const code = (e as { code?: string }).code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET') return 'reset';
  return 'other';
}

/** The request's outcome, taken as soon as it settles (so no rejection goes unhandled meanwhile). */
function track(send: Promise<unknown>, onAnswer: () => void): Promise<Outcome> {
  return send.then(
    () => {
      onAnswer();
      return 'answered' as const;
    },
    outcomeOf,
  );
}

async function settle(sends: Promise<Outcome>[]): Promise<Record<Outcome, number>> {
  const counts: Record<Outcome, number> = { answered: 0, refused: 0, reset: 0, other: 0 };
  for (const o of await Promise.all(sends)) counts[o] += 1;
  return counts;
}

describe('an embedded server closed under load', () => {
  it('dynalite finishes and answers every UpdateItem it began; reopened, the counts are exactly the answered ones', async () => {
    const dataDir = await tempDir();
    const server = await startEmbeddedDynamo({ dataDir });
    const client = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const db = client(server.endpoint);
    await db.send(
      new CreateTableCommand({
        TableName: 'closing',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    let answered = 0;
    const update = (i: number) =>
      track(
        db.send(new UpdateItemCommand({ TableName: 'closing', Key: { pk: { S: `k${i % 7}` } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } })),
        () => (answered += 1),
      );
    const sends = Array.from({ length: 300 }, (_, i) => update(i));
    while (answered < 20) await new Promise((ok) => setTimeout(ok, 1));
    const closing = server.close();
    const late = Array.from({ length: 20 }, (_, i) => update(1000 + i));
    await closing;
    const counts = await settle([...sends, ...late]);
    db.destroy();
    await new Promise((ok) => setTimeout(ok, 50));
    expect(uncaught).toEqual([]);
    expect(counts.other).toBe(0);
    expect(counts.answered).toBeGreaterThanOrEqual(20);
    expect(counts.answered + counts.refused + counts.reset).toBe(320);

    const again = await startEmbeddedDynamo({ dataDir });
    const db2 = client(again.endpoint);
    const { Items = [] } = await db2.send(new ScanCommand({ TableName: 'closing' }));
    db2.destroy();
    await again.close();
    expect(Items.reduce((n, item) => n + Number(item.n?.N ?? 0), 0)).toBe(counts.answered);
  });

  it('s3rver finishes and answers every PutObject it began; reopened, each answered object is whole and no other exists', async () => {
    const dataDir = await tempDir();
    const server = await startEmbeddedS3({ dataDir });
    const client = (endpoint: string) => new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    const s3 = client(server.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'closing' }));
    const stored = new Set<string>();
    const body = Buffer.alloc(64 * 1024, 1);
    const sends = Array.from({ length: 100 }, (_, i) => track(s3.send(new PutObjectCommand({ Bucket: 'closing', Key: `o${i}`, Body: body })), () => stored.add(`o${i}`)));
    while (stored.size < 5) await new Promise((ok) => setTimeout(ok, 1));
    await server.close();
    const counts = await settle(sends);
    s3.destroy();
    expect(uncaught).toEqual([]);
    expect(counts.other).toBe(0);
    expect(counts.answered + counts.refused + counts.reset).toBe(100);

    const again = await startEmbeddedS3({ dataDir });
    const s3b = client(again.endpoint);
    const listed = await s3b.send(new ListObjectsV2Command({ Bucket: 'closing' }));
    s3b.destroy();
    await again.close();
    const objects = listed.Contents ?? [];
    expect(objects.map((o) => o.Key).sort()).toEqual([...stored].sort());
    for (const o of objects) expect(o.Size).toBe(body.length);
  });
});
