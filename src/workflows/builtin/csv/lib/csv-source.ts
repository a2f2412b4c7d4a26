import type { Readable } from 'node:stream';

/** Anything that yields the bytes of a CSV file: a Node Readable or any async iterable of chunks. */
export type CsvSource = Readable | AsyncIterable<Buffer | Uint8Array | string>;

/** Hooks for long reads (used by workflow wrappers). */
export interface ReadHooks {
  /** Called roughly every `progressEveryBytes` bytes and once at the end. */
  onProgress?: (progress: { bytesRead: number; rows: number }) => void;
  /** Bytes between progress calls. Default: 8 MiB. */
  progressEveryBytes?: number;
  /** Aborts the read: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Normalises a chunk to a Buffer without copying when possible. */
export function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
