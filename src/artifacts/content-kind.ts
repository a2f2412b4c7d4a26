import { Readable } from 'node:stream';
import type { ContentKind } from './artifact.js';

/** Content `store()` accepts: a JSON value (object/array), text, bytes, or a stream of bytes. */
export type ArtifactContent =
  | Record<string, unknown>
  | unknown[]
  | string
  | Buffer
  | Uint8Array
  | NodeJS.ReadableStream
  | Readable
  | ReadableStream<Uint8Array>;

/** How `store()` will write a piece of content. */
export type ContentShape = 'json' | 'string' | 'bytes' | 'stream';

/** True for Node readables (and anything that looks like one) and WHATWG ReadableStreams. */
export function isStreamContent(value: unknown): value is NodeJS.ReadableStream | Readable | ReadableStream<Uint8Array> {
  if (value instanceof Readable) return true;
  if (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) return true;
  if (value === null || typeof value !== 'object') return false;
  const v = value as { pipe?: unknown; on?: unknown; read?: unknown };
  return typeof v.pipe === 'function' && typeof v.on === 'function' && typeof v.read === 'function';
}

/** Classifies content, or returns undefined for something `store()` cannot write. */
export function contentShape(value: unknown): ContentShape | undefined {
  if (typeof value === 'string') return 'string';
  if (value instanceof Uint8Array) return 'bytes'; // Buffer too
  if (isStreamContent(value)) return 'stream';
  if (Array.isArray(value)) return 'json';
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) return 'json';
  }
  return undefined;
}

const EXTENSION_KINDS: Record<string, ContentKind> = {
  json: 'json',
  csv: 'csv',
  tsv: 'text',
  txt: 'text',
  log: 'text',
  md: 'text',
  jil: 'text',
  sql: 'text',
  yaml: 'text',
  yml: 'text',
  parquet: 'parquet',
};

/** The kind a file name suggests (`report.csv` → csv), or undefined. */
export function kindFromName(name: string | null | undefined): ContentKind | undefined {
  if (!name) return undefined;
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  return m ? EXTENSION_KINDS[m[1]!.toLowerCase()] : undefined;
}

/**
 * The kind to record when the caller gave none: objects → json, strings → text, bytes and streams →
 * what the file name suggests, else binary.
 */
export function defaultKind(shape: ContentShape, name?: string | null): ContentKind {
  switch (shape) {
    case 'json':
      return 'json';
    case 'string':
      return kindFromName(name) ?? 'text';
    case 'bytes':
    case 'stream':
      return kindFromName(name) ?? 'binary';
  }
}

const MIME_TYPES: Record<ContentKind, string> = {
  json: 'application/json',
  text: 'text/plain; charset=utf-8',
  csv: 'text/csv',
  parquet: 'application/vnd.apache.parquet',
  binary: 'application/octet-stream',
  other: 'application/octet-stream',
};

/** The MIME type recorded when the caller gave none. */
export function defaultMimeType(kind: ContentKind): string {
  return MIME_TYPES[kind];
}
