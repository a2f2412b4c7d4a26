import type { Request } from 'express';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { MimeType } from '../src/artifacts/artifact.js';
import { PayloadTooLargeError } from '../src/errors/payload-too-large-error.js';
import { ValidationError } from '../src/errors/validation-error.js';

/** One uploaded file, still streaming. */
export interface IncomingFile {
  stream: Readable;
  /** Multipart filename, if any. */
  filename: string | undefined;
  /** Media type the client declared. */
  mimeType: string;
}

const tooLarge = (maxBytes: number) => new PayloadTooLargeError(`The upload is larger than ${maxBytes} bytes`, { details: { maxBytes } });
const OCTET = 'application/octet-stream';

/** A declared media type if it is well formed, else octet-stream. */
function cleanMime(raw: string | undefined): string {
  if (!raw) return OCTET;
  return MimeType.safeParse(raw).success ? raw : OCTET;
}

/**
 * The file of an upload request, as a stream: the raw body with its Content-Type, or the first file
 * part of a multipart/form-data body (parsed by busboy as it arrives; nothing is buffered whole).
 * A declared Content-Length above `maxBytes` is refused before reading; a multipart file past it
 * errors its stream with PayloadTooLargeError.
 */
export async function incomingFile(req: Request, maxBytes: number): Promise<IncomingFile> {
  const declared = Number(req.headers['content-length']);
  const contentType = req.headers['content-type'];
  const isMultipart = /^multipart\/form-data/i.test(contentType ?? '');
  // a multipart envelope adds a few hundred bytes around the file
  if (Number.isFinite(declared) && declared > maxBytes + (isMultipart ? 64 * 1024 : 0)) throw tooLarge(maxBytes);
  if (!isMultipart) return { stream: req, filename: undefined, mimeType: cleanMime(contentType) };

  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 50, parts: 60, fieldSize: 64 * 1024 } });
  } catch (cause) {
    throw new ValidationError('Malformed multipart/form-data request', { cause });
  }
  return new Promise<IncomingFile>((resolve, reject) => {
    let file: Readable | undefined;
    bb.on('file', (_field, stream, info) => {
      if (file) {
        stream.resume();
        return;
      }
      file = stream;
      stream.on('limit', () => stream.destroy(tooLarge(maxBytes)));
      resolve({ stream, filename: info.filename || undefined, mimeType: cleanMime(info.mimeType) });
    });
    bb.on('error', (cause: unknown) => {
      const err = new ValidationError('Malformed multipart/form-data request', { cause });
      if (file) file.destroy(err);
      else reject(err);
    });
    bb.on('close', () => {
      if (!file) reject(new ValidationError('The multipart body has no file part'));
    });
    req.on('aborted', () => file?.destroy(new ValidationError('The client aborted the upload')));
    req.pipe(bb);
  });
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The first `max` bytes of an upload (fewer when it is shorter), and a stream of the whole upload
 * that starts with them: the kind of a file is guessed from its head without buffering the rest.
 * Errors of the source (size limit, abort) surface on the returned stream; destroying it destroys
 * the source.
 */
export async function peekHead(source: Readable, max = 8 * 1024): Promise<{ head: Buffer; stream: Readable }> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < max) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    chunks.push(chunk);
    size += chunk.length;
  }
  const all = Buffer.concat(chunks);
  async function* whole(): AsyncGenerator<Buffer> {
    try {
      if (all.length) yield all;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { head: all.subarray(0, max), stream: Readable.from(whole(), { objectMode: false }) };
}
