import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { ValidationError } from '../../errors/validation-error.js';
import { readableFileSize } from '../readable-file.js';
import { mimeFor } from './mime.js';
import type { RequestBody } from './transport.js';

/** What to upload: a file (streamed, and sent again on a retry), bytes or text, or a one-shot stream. */
export type UploadSource =
  | { path: string }
  | { data: string | Uint8Array }
  | { stream: Readable | ReadableStream<Uint8Array>; size?: number };

/** An upload ready to send: a body factory (called once per attempt) and what the request declares. */
export interface PreparedUpload {
  body: () => RequestBody;
  replayable: boolean;
  size: number | undefined;
  /** The file's own name, when it has one. */
  name: string | undefined;
  mimeType: string;
}

/**
 * Checks the source and makes its body. A missing file, a directory or an unreadable file is a
 * ValidationError that says which and why, before anything is sent.
 */
export async function prepareUpload(src: UploadSource, mimeType?: string): Promise<PreparedUpload> {
  if ('path' in src) {
    const size = await readableFileSize(src.path);
    return {
      body: () => Readable.toWeb(createReadStream(src.path)) as ReadableStream<Uint8Array>,
      replayable: true,
      size,
      name: basename(src.path),
      mimeType: mimeType ?? mimeFor(src.path),
    };
  }
  if ('data' in src) {
    const bytes = typeof src.data === 'string' ? Buffer.from(src.data, 'utf8') : src.data;
    return { body: () => bytes as RequestBody, replayable: true, size: bytes.byteLength, name: undefined, mimeType: mimeType ?? 'application/octet-stream' };
  }
  const web = src.stream instanceof Readable ? (Readable.toWeb(src.stream) as ReadableStream<Uint8Array>) : src.stream;
  let used = false;
  return {
    body: () => {
      if (used) throw new ValidationError('a stream upload cannot be sent twice');
      used = true;
      return web;
    },
    replayable: false,
    size: src.size,
    name: undefined,
    mimeType: mimeType ?? 'application/octet-stream',
  };
}
