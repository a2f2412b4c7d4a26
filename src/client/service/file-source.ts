import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { readableFileSize } from '../readable-file.js';
import { mimeFor } from '../http/mime.js';

/** What to store: a file (streamed), bytes or text, or a stream. */
export type FileSource = { path: string } | { data: string | Uint8Array } | { stream: Readable | ReadableStream<Uint8Array> };

/** A missing file, a directory or an unreadable file is a ValidationError that says which and why; nothing is stored. */
export async function prepareFile(src: FileSource): Promise<{ content: Readable | ReadableStream<Uint8Array> | Uint8Array | string; name?: string; mimeType?: string }> {
  if ('path' in src) {
    await readableFileSize(src.path, 'file');
    return { content: createReadStream(src.path), name: basename(src.path), mimeType: mimeFor(src.path) };
  }
  if ('data' in src) return { content: typeof src.data === 'string' ? Buffer.from(src.data, 'utf8') : src.data };
  return { content: src.stream };
}
