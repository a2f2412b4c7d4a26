import { createHash } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PayloadTooLargeError } from '../errors/payload-too-large-error.js';
import type { Logger } from '../logger.js';
import { HashingLimiter, tooLargeMessage } from './hashing-limiter.js';
import { abortMultipartQuietly } from './multipart.js';

/** Where and how to upload. */
export interface UploadTarget {
  s3: S3Client;
  bucket: string;
  key: string;
  mimeType: string;
  /** S3 user metadata (ASCII values). */
  metadata: Record<string, string>;
  maxBytes: number;
  /** Multipart part size in bytes (≥ 5 MiB). */
  partSizeBytes: number;
  /** Parts in flight at once. */
  queueSize: number;
  /** Where a failed abort is reported. Default: nowhere. */
  log?: Logger;
}

export interface UploadResult {
  sizeBytes: number;
  sha256: string;
}

/** Deletes an object, ignoring "not there"; used to leave nothing behind after a failed store. */
export async function deleteObjectQuietly(s3: S3Client, bucket: string, key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
}

function newUpload(t: UploadTarget, body: Uint8Array | Readable): Upload {
  return new Upload({
    client: t.s3,
    params: { Bucket: t.bucket, Key: t.key, Body: body, ContentType: t.mimeType, Metadata: t.metadata },
    partSize: t.partSizeBytes,
    queueSize: t.queueSize,
    leavePartsOnError: false,
  });
}

/**
 * Runs the upload; when it fails after a multipart upload was created, aborts that upload explicitly
 * (the SDK's own abort, `leavePartsOnError: false`, may be skipped or fail, and its failure would
 * hide the real error), so no parts stay stored (and billed) in S3.
 */
async function runUpload(t: UploadTarget, upload: Upload): Promise<void> {
  try {
    await upload.done();
  } catch (err) {
    if (upload.uploadId) await abortMultipartQuietly(t.s3, t.bucket, t.key, upload.uploadId, t.log);
    throw err;
  }
}

/** Uploads bytes already in memory (one PUT, or parts when larger than a part). */
export async function uploadBytes(t: UploadTarget, bytes: Uint8Array): Promise<UploadResult> {
  if (bytes.byteLength > t.maxBytes) {
    throw new PayloadTooLargeError(tooLargeMessage(t.maxBytes, bytes.byteLength, false), {
      details: { limitBytes: t.maxBytes, sizeBytes: bytes.byteLength },
    });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await runUpload(t, newUpload(t, bytes));
  return { sizeBytes: bytes.byteLength, sha256 };
}

/**
 * Streams `source` to S3 with a multipart upload (at most `queueSize` parts of `partSizeBytes` in
 * memory), hashing and counting on the way. Past `maxBytes` it stops reading, aborts the multipart
 * upload and throws PayloadTooLargeError; on any failure (the source erroring too, e.g. a client
 * that disconnects mid-upload) the multipart upload is aborted and no object is left under `key`.
 */
export async function uploadStream(
  t: UploadTarget,
  source: NodeJS.ReadableStream | Readable | ReadableStream<Uint8Array>,
): Promise<UploadResult> {
  const readable =
    source instanceof Readable
      ? source
      : typeof ReadableStream !== 'undefined' && source instanceof ReadableStream
        ? Readable.fromWeb(source as WebReadableStream<Uint8Array>)
        : new Readable({ read() {} }).wrap(source as NodeJS.ReadableStream);
  const limiter = new HashingLimiter(t.maxBytes);
  let pipeError: Error | undefined;
  // pipeline destroys the source when the limiter fails (or the upload stops reading early).
  pipeline(readable, limiter, (err) => {
    if (err) pipeError = err;
  });
  const upload = newUpload(t, limiter);
  try {
    await runUpload(t, upload);
  } catch (err) {
    await deleteObjectQuietly(t.s3, t.bucket, t.key);
    // The limiter's own error is the meaningful one (the upload only sees "stream errored").
    throw limiter.errored ?? pipeError ?? err;
  }
  if (limiter.errored || pipeError) {
    await deleteObjectQuietly(t.s3, t.bucket, t.key);
    throw limiter.errored ?? pipeError;
  }
  return { sizeBytes: limiter.bytes, sha256: limiter.digest() };
}
