import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { PayloadTooLargeError, ValidationError } from '../errors/index.js';
import { StoredSnapshot } from './context-snapshot.js';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/** Tag that marks an artifact as a context snapshot. */
export const SNAPSHOT_TAG = { kind: 'context_snapshot' } as const;
/** `workflowName` (and `createdBy`) of snapshot artifacts: reserved for the context manager. */
export const SNAPSHOT_WORKFLOW = 'context_manager';
/** MIME type of a gzip-compressed snapshot; an uncompressed one is stored as `application/json`. */
export const GZIP_MIME = 'application/gzip';

export interface EncodedSnapshot {
  bytes: Buffer;
  compressed: boolean;
  originalSize: number;
  compressedSize: number;
}

/** JSON bytes of the snapshot, gzip-compressed when asked. */
export async function encodeSnapshot(body: StoredSnapshot, compress: boolean): Promise<EncodedSnapshot> {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  if (!compress) return { bytes: json, compressed: false, originalSize: json.length, compressedSize: json.length };
  const bytes = await gzip(json);
  return { bytes, compressed: true, originalSize: json.length, compressedSize: bytes.length };
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Largest decoded snapshot `decodeSnapshot` accepts by default (config: DATAOPS_SNAPSHOT_MAX_BYTES). */
export const DEFAULT_SNAPSHOT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Reads stored snapshot bytes (gzip is recognised by its magic bytes, whatever the tags say).
 * Decompression stops at `maxBytes` of output (a gzip bomb costs at most that much memory):
 * PayloadTooLargeError past it. ValidationError when the bytes are not a snapshot.
 */
export async function decodeSnapshot(
  bytes: Buffer,
  artifactId: string,
  maxBytes = DEFAULT_SNAPSHOT_MAX_BYTES,
): Promise<{ body: StoredSnapshot; compressed: boolean; originalSize: number }> {
  const compressed = isGzip(bytes);
  const tooLarge = (cause?: unknown) =>
    new PayloadTooLargeError(`context snapshot ${artifactId} decodes to more than ${maxBytes} bytes`, { cause, details: { limitBytes: maxBytes } });
  let json: Buffer;
  try {
    json = compressed ? await gunzip(bytes, { maxOutputLength: maxBytes }) : bytes;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(err);
    throw new ValidationError(`artifact ${artifactId} is not a readable context snapshot (bad gzip)`, { cause: err });
  }
  if (json.length > maxBytes) throw tooLarge();
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch (err) {
    throw new ValidationError(`artifact ${artifactId} is not a context snapshot (not JSON)`, { cause: err });
  }
  const parsed = StoredSnapshot.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(`artifact ${artifactId} is not a valid context snapshot`, { details: parsed.error.issues });
  }
  return { body: parsed.data, compressed, originalSize: json.length };
}
