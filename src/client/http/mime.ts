import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.txt': 'text/plain',
  '.jil': 'text/plain',
  '.md': 'text/markdown',
  '.sql': 'text/plain',
  '.yaml': 'text/yaml',
  '.yml': 'text/yaml',
  '.xml': 'application/xml',
  '.parquet': 'application/vnd.apache.parquet',
  '.gz': 'application/gzip',
  '.zip': 'application/zip',
};

/** A media type for an uploaded file, from its extension (octet-stream when unknown). */
export function mimeFor(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
