import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../logger.js';

/** True for S3's "that upload is not open (any more)". */
function isNoSuchUpload(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NoSuchUpload' || e?.Code === 'NoSuchUpload' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * Aborts one multipart upload, so S3 drops its parts; "already gone" (an abort the SDK sent first,
 * or a completed upload) is fine. Other failures are logged, not thrown: the stale-upload sweep
 * aborts what is left.
 */
export async function abortMultipartQuietly(
  s3: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
  log?: Logger,
): Promise<void> {
  try {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  } catch (err) {
    if (!isNoSuchUpload(err)) log?.warn({ err, key, uploadId }, 'could not abort a multipart upload (the stale-upload sweep will)');
  }
}

/** An open multipart upload, as ListMultipartUploads reports it. */
export interface OpenMultipartUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

/** Every open multipart upload in `bucket` (all pages), optionally under `prefix`. */
export async function listMultipartUploads(s3: S3Client, bucket: string, prefix?: string): Promise<OpenMultipartUpload[]> {
  const out: OpenMultipartUpload[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        ...(prefix ? { Prefix: prefix } : {}),
        ...(keyMarker ? { KeyMarker: keyMarker } : {}),
        ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}),
      }),
    );
    for (const u of page.Uploads ?? []) {
      if (u.Key && u.UploadId) out.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated ?? new Date(0) });
    }
    if (!page.IsTruncated || !page.NextKeyMarker) return out;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

/**
 * Aborts every multipart upload in `bucket` initiated more than `maxAgeMs` before `now` — what a
 * process that died mid-upload (or an abort that failed) left open; returns how many it aborted.
 * `maxAgeMs` must exceed the longest upload in progress, which it would otherwise cut off.
 */
export async function abortStaleMultipartUploads(
  s3: S3Client,
  bucket: string,
  maxAgeMs: number,
  now: Date,
  log?: Logger,
): Promise<number> {
  const cutoff = now.getTime() - maxAgeMs;
  let aborted = 0;
  for (const u of await listMultipartUploads(s3, bucket)) {
    if (u.initiated.getTime() >= cutoff) continue;
    await abortMultipartQuietly(s3, bucket, u.key, u.uploadId, log);
    aborted++;
  }
  if (aborted) log?.info({ aborted }, 'stale multipart uploads aborted');
  return aborted;
}
