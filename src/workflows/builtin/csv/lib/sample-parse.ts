import { parse } from 'csv-parse/sync';
import { PapaPieceParser, papaSupports } from './papa-pieces.js';

/** Options for {@link parseSample}. */
export interface SampleParseOptions {
  delimiter: string;
  quote: string | null;
  escape: string | null;
  trim: boolean;
  /** Stop after this many records. */
  maxRecords: number;
  /** The text is the whole input (otherwise the last, possibly cut, record is dropped). */
  complete: boolean;
}

/**
 * Parses a text sample, keeping every record read before an error (a sample cut inside a quoted
 * field ends with "quote not closed"). Empty lines are skipped. Uses papaparse, or csv-parse for
 * what papaparse would read differently (see papa-pieces.ts) — the records are the same as the
 * streaming reader's.
 */
export function parseSample(text: string, opts: SampleParseOptions): string[][] {
  const rows = (papaSupports(opts) ? withPapa(text, opts) : null) ?? withCsvParse(text, opts);
  if (!opts.complete && rows.length > 1) rows.pop();
  if (rows.length > opts.maxRecords) rows.length = opts.maxRecords;
  return rows;
}

function withPapa(text: string, opts: SampleParseOptions): string[][] | null {
  // Lone CRs only: split on CR. Anything else splits on LF (CRLF included).
  const newline = text.indexOf('\n') === -1 && text.indexOf('\r') !== -1 ? '\r' : '\n';
  const piece = new PapaPieceParser({ delimiter: opts.delimiter, quote: opts.quote, newline }).parse(text, true);
  if (piece === null) return null;
  const rows: string[][] = [];
  const n = piece.unclosed === -1 ? piece.rows.length : piece.unclosed;
  for (let i = 0; i < n && rows.length <= opts.maxRecords; i++) {
    const r = piece.rows[i]!;
    if (r.length === 1 && r[0] === '') continue;
    rows.push(r);
  }
  return rows;
}

function withCsvParse(text: string, opts: SampleParseOptions): string[][] {
  const rows: string[][] = [];
  try {
    parse(text, {
      delimiter: opts.delimiter,
      quote: opts.quote === null ? false : opts.quote,
      escape: opts.escape === null ? false : opts.escape,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      ltrim: opts.trim,
      rtrim: opts.trim,
      to: opts.maxRecords + 1,
      on_record: (record: string[]) => {
        rows.push(record);
        return null;
      },
    });
  } catch {
    // Keep what was read: the error concerns the (cut) tail of the sample.
  }
  return rows;
}
