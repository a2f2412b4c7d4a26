import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { PayloadTooLargeError } from '../../src/errors/index.js';
import { openUploads, partFilesOnDisk, untilEmpty } from '../support/multipart-uploads.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

const MiB = 1024 * 1024;
const TOTAL = 100 * MiB;
const CHUNK = 256 * 1024;

let t: TestServices;
let store: ArtifactStore;

beforeAll(async () => {
  t = await startTestServices();
  store = new ArtifactStore({ services: t.services, ttlDays: 1, maxBytes: 1024 * MiB });
});
afterAll(async () => t?.cleanup());

/** A stream of `total` pseudo-random bytes produced chunk by chunk (never held whole). */
function generated(total: number): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  let seed = 0x9e3779b9;
  const stream = new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(CHUNK, total - sent);
      const buf = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i += 4) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        buf.writeUInt32LE(seed, i);
      }
      hash.update(buf);
      sent += n;
      this.push(buf);
    },
  });
  return { stream, sha256: () => hash.digest('hex') };
}

/** A handle on V8's collector (the test runner does not pass --expose-gc). */
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const usedBytes = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Live bytes: collects twice around a turn of the event loop so freed ArrayBuffers are swept. */
async function liveBytes(): Promise<number> {
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  return usedBytes();
}

/**
 * Samples heapUsed + arrayBuffers. With `forceGc` each sample follows a full collection and so
 * measures what the code holds; without it V8 lets up to ~64 MB of freed external buffers pile up
 * before collecting, which measures the collector's pacing. Samples are paced so collecting takes
 * at most ~10% of the time (a forced collection stops the loop, S3 server included, and is slow on
 * a busy machine). `stop()` → peak growth in MB.
 */
async function memorySampler(forceGc: boolean) {
  const baseline = await liveBytes();
  let peak = baseline;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const sample = async () => {
    const began = performance.now();
    peak = Math.max(peak, forceGc ? await liveBytes() : usedBytes());
    if (!stopped) timer = setTimeout(() => void sample(), Math.max(100, 10 * (performance.now() - began)));
  };
  timer = setTimeout(() => void sample(), 100);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      peak = Math.max(peak, forceGc ? await liveBytes() : usedBytes());
      return (peak - baseline) / MiB;
    },
  };
}

/** Streams 100 MB in and back out; returns seconds and peak memory growth for each direction. */
async function roundTrip(forceGc: boolean) {
  const src = generated(TOTAL);
  const putMem = await memorySampler(forceGc);
  const putStart = performance.now();
  const a = await store.store({ sessionId: 's-big', workflowName: 'wf', createdBy: 'test', content: src.stream, name: 'big.bin' });
  const putSeconds = (performance.now() - putStart) / 1000;
  const putGrowth = await putMem.stop();
  expect(a.sizeBytes).toBe(TOTAL);
  expect(a.sha256).toBe(src.sha256());
  expect(a.contentType).toBe('binary');

  const getMem = await memorySampler(forceGc);
  const getStart = performance.now();
  const { body } = await store.getContent(a.artifactId);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  const getSeconds = (performance.now() - getStart) / 1000;
  const getGrowth = await getMem.stop();
  expect(bytes).toBe(TOTAL);
  expect(hash.digest('hex')).toBe(a.sha256);

  await store.delete(a.artifactId);
  await expect(t.services.s3.send(new HeadObjectCommand({ Bucket: t.services.bucket, Key: a.s3Key }))).rejects.toMatchObject({
    $metadata: { httpStatusCode: 404 },
  });
  return { putSeconds, putGrowth, getSeconds, getGrowth };
}

describe('100 MB through the store, streaming both ways', () => {
  it('uploads and downloads 100 MB with a matching sha256 (throughput)', async () => {
    const r = await roundTrip(false);
    console.log(
      `artifacts 100 MB: put ${(100 / r.putSeconds).toFixed(1)} MB/s, get ${(100 / r.getSeconds).toFixed(1)} MB/s ` +
        `(uncollected heap+arrayBuffers peak: put +${r.putGrowth.toFixed(1)} MB, get +${r.getGrowth.toFixed(1)} MB)`,
    );
  }, 120_000); // ~5 s on an idle machine; the bound only guards against a busy shared one

  it('holds far less than the body in memory in both directions', async () => {
    const r = await roundTrip(true);
    console.log(`artifacts 100 MB: live memory peak put +${r.putGrowth.toFixed(1)} MB, get +${r.getGrowth.toFixed(1)} MB`);
    expect(r.putGrowth).toBeLessThan(60);
    expect(r.getGrowth).toBeLessThan(60);
  }, 120_000);

  it('aborts a multipart upload past maxBytes and leaves nothing behind', async () => {
    const small = new ArtifactStore({ services: t.services, ttlDays: 1, maxBytes: 12 * MiB, partSizeBytes: 5 * MiB, queueSize: 2 });
    const src = generated(40 * MiB);
    const err = await small
      .store({ sessionId: 's-big-refused', workflowName: 'wf', createdBy: 'test', content: src.stream })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as Error).message).toMatch(/limit is 12582912 bytes/);
    expect(src.stream.destroyed).toBe(true);
    expect((await small.list('s-big-refused')).items).toEqual([]);
    const objects = await t.services.s3.send(new ListObjectsV2Command({ Bucket: t.services.bucket, Prefix: 'artifacts/s-big-refused/' }));
    expect(objects.KeyCount ?? 0).toBe(0);
    expect(await untilEmpty(() => openUploads(t))).toEqual([]);
    expect(await partFilesOnDisk(t)).toEqual([]);
  });
});
