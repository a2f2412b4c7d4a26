import { parse } from 'csv-parse/sync';

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
 * Parses a text sample with csv-parse, keeping every record read before an error (a sample cut
 * inside a quoted field ends with "quote not closed"). Empty lines are skipped.
 */
export function parseSample(text: string, opts: SampleParseOptions): string[][] {
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
  if (!opts.complete && rows.length > 1) rows.pop();
  if (rows.length > opts.maxRecords) rows.length = opts.maxRecords;
  return rows;
}
