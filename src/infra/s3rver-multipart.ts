import { createRequire } from 'node:module';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type S3rver from 's3rver';

/** The slice of a Koa context the handler uses. */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
}
type Next = () => Promise<void>;

/** s3rver's own error type: thrown from a middleware it renders as an S3 error response (XML, status). */
type S3ErrorClass = new (code: string, message: string, detail?: Record<string, unknown>) => Error;
const S3Error = createRequire(import.meta.url)('s3rver/lib/models/error') as S3ErrorClass;

const UPLOAD_ID = /^[A-Za-z0-9_-]{1,128}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** One multipart upload s3rver keeps on disk (`<bucket>/._S3rver_uploads/<uploadId>/`). */
interface OpenUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function noSuchUpload(uploadId: string): Error {
  return new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
    UploadId: uploadId,
  });
}

/**
 * Adds the two multipart operations s3rver lacks — AbortMultipartUpload (`DELETE /b/k?uploadId=`) and
 * ListMultipartUploads (`GET /b?uploads`) — so that "an aborted upload leaves no parts" can be checked
 * over the S3 wire protocol, as against S3 itself. Like S3, it refuses a part or a completion for an
 * upload that is not open (s3rver would recreate the directory of an aborted upload), and an abort
 * waits for that upload's parts still being received before it deletes the part files. Requests are
 * not signature-checked (the embedded server listens on loopback only).
 */
export function addMultipartOperations(server: S3rver): void {
  const uploadsDir = (bucket: string) => server.store.getResourcePath(bucket, undefined, 'uploads');
  /** Part and completion requests in progress, per upload id; aborted ids refuse new ones. */
  const inFlight = new Map<string, Set<Promise<void>>>();
  const aborted = new Set<string>();

  async function isOpen(bucket: string, uploadId: string): Promise<boolean> {
    if (!UPLOAD_ID.test(uploadId) || aborted.has(uploadId)) return false;
    return stat(join(uploadsDir(bucket), uploadId, 'key')).then(
      () => true,
      () => false,
    );
  }

  async function openUploads(bucket: string): Promise<OpenUpload[]> {
    const dir = uploadsDir(bucket);
    const ids = await readdir(dir).catch(() => [] as string[]);
    const out: OpenUpload[] = [];
    for (const uploadId of ids) {
      if (!UPLOAD_ID.test(uploadId) || aborted.has(uploadId)) continue;
      const keyFile = join(dir, uploadId, 'key');
      const [key, info] = await Promise.all([readFile(keyFile, 'utf8').catch(() => undefined), stat(keyFile).catch(() => undefined)]);
      if (key !== undefined && info) out.push({ key, uploadId, initiated: info.mtime });
    }
    return out.sort((a, b) => (a.key === b.key ? a.uploadId.localeCompare(b.uploadId) : a.key < b.key ? -1 : 1));
  }

  async function listUploads(ctx: KoaContext, bucket: string): Promise<void> {
    const prefix = one(ctx.query.prefix) ?? '';
    const keyMarker = one(ctx.query['key-marker']) ?? '';
    const idMarker = one(ctx.query['upload-id-marker']) ?? '';
    const max = Math.min(1000, Math.max(0, Number(one(ctx.query['max-uploads']) ?? 1000) || 1000));
    const all = (await openUploads(bucket)).filter(
      (u) => u.key.startsWith(prefix) && (u.key > keyMarker || (u.key === keyMarker && idMarker !== '' && u.uploadId > idMarker)),
    );
    const page = all.slice(0, max);
    const truncated = all.length > page.length;
    const last = page[page.length - 1];
    ctx.body = {
      ListMultipartUploadsResult: {
        '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
        Bucket: bucket,
        KeyMarker: keyMarker,
        UploadIdMarker: idMarker,
        ...(truncated && last ? { NextKeyMarker: last.key, NextUploadIdMarker: last.uploadId } : {}),
        Prefix: prefix,
        MaxUploads: max,
        IsTruncated: truncated,
        ...(page.length
          ? {
              Upload: page.map((u) => ({
                Key: u.key,
                UploadId: u.uploadId,
                Initiator: { ID: 'S3RVER', DisplayName: 'S3rver' },
                Owner: { ID: 'S3RVER', DisplayName: 'S3rver' },
                StorageClass: 'STANDARD',
                Initiated: u.initiated.toISOString(),
              })),
            }
          : {}),
      },
    };
  }

  async function abortUpload(ctx: KoaContext, bucket: string, key: string, uploadId: string): Promise<void> {
    if (!(await isOpen(bucket, uploadId))) throw noSuchUpload(uploadId);
    const dir = join(uploadsDir(bucket), uploadId);
    if ((await readFile(join(dir, 'key'), 'utf8').catch(() => undefined)) !== key) throw noSuchUpload(uploadId);
    aborted.add(uploadId);
    try {
      await Promise.allSettled([...(inFlight.get(uploadId) ?? [])]);
      await rm(dir, { recursive: true, force: true });
    } finally {
      aborted.delete(uploadId);
    }
    ctx.status = 204;
    ctx.body = null;
  }

  /** Runs a part upload or a completion of an open upload, tracked so an abort can wait for it. */
  async function tracked(bucket: string, uploadId: string, next: Next): Promise<void> {
    if (!(await isOpen(bucket, uploadId))) throw noSuchUpload(uploadId);
    const running = inFlight.get(uploadId) ?? new Set<Promise<void>>();
    inFlight.set(uploadId, running);
    const p = next();
    running.add(p);
    try {
      await p;
    } finally {
      running.delete(p);
      if (running.size === 0) inFlight.delete(uploadId);
    }
  }

  async function handler(ctx: KoaContext, next: Next): Promise<void> {
    const m = /^\/([^/]+)(?:\/(.*))?$/.exec(ctx.path);
    const bucket = m?.[1];
    if (!bucket || !BUCKET.test(bucket)) return next();
    let key: string | undefined;
    try {
      key = m[2] ? decodeURIComponent(m[2]) : undefined;
    } catch {
      return next();
    }
    const uploadId = one(ctx.query.uploadId);
    if (key === undefined) {
      if (ctx.method === 'GET' && 'uploads' in ctx.query) {
        if (!(await server.store.getBucket(bucket))) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
        return listUploads(ctx, bucket);
      }
      return next();
    }
    if (uploadId === undefined) return next();
    if (ctx.method === 'DELETE') return abortUpload(ctx, bucket, key, uploadId);
    if (ctx.method === 'PUT' || ctx.method === 'POST') return tracked(bucket, uploadId, next);
    return next();
  }

  // Just before s3rver's router: after its logger, XML encoder and virtual-host path rewrite.
  server.middleware.splice(Math.max(0, server.middleware.length - 1), 0, handler);
}
