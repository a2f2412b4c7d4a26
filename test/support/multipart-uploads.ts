import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listMultipartUploads, type OpenMultipartUpload } from '../../src/artifacts/multipart.js';
import type { TestServices } from './test-services.js';

/** The open multipart uploads of the test bucket, over the S3 wire protocol (ListMultipartUploads). */
export function openUploads(t: TestServices): Promise<OpenMultipartUpload[]> {
  return listMultipartUploads(t.services.s3, t.services.bucket);
}

/**
 * Files the embedded s3rver keeps for open multipart uploads (parts, their md5, key, metadata) under
 * `<dataDir>/s3/<bucket>/._S3rver_uploads/`; empty when none (or when storage is not the embedded one).
 */
export async function partFilesOnDisk(t: TestServices): Promise<string[]> {
  const dir = join(t.config.storage.dataDir, 's3', t.services.bucket, '._S3rver_uploads');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as { path?: string }).path ?? '', e.name));
}

/** Polls `f` until it returns an empty list, or gives up after `timeoutMs` and returns the last list. */
export async function untilEmpty<T>(f: () => Promise<T[]>, timeoutMs = 15_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await f();
    if (list.length === 0 || Date.now() > deadline) return list;
    await new Promise((r) => setTimeout(r, 100));
  }
}
