import { columnNames } from './column-names.js';
import { CsvParseSplitter } from './csv-parse-splitter.js';
import { toBuffer, type CsvSource, type ReadHooks } from './csv-source.js';
import { detectDialect } from './dialect-detect.js';
import { dropLines, LineSkipper } from './line-skipper.js';
import { createNullMatcher } from './null-values.js';
import { papaNewline, papaSupports } from './papa-pieces.js';
import { PapaSplitter } from './papa-splitter.js';
import type { CsvDialect, CsvEncoding, ReadIssues, ResolvedCsvReadOptions } from './read-options.js';
import type { SplitError } from './record-sink.js';
import { detach } from './truncate.js';
import { Utf8Validator } from './utf8-validator.js';

/** What the reader tells its consumer before the first data record. */
export interface ReaderStart {
  dialect: CsvDialect;
  /** Analysed column names (at most `maxColumns`). */
  columns: string[];
  /** Null predicate built from the options (shared so consumers agree with the reader). */
  isNull: (v: string) => boolean;
}

/**
 * Line of the record being delivered: the 1-based physical line it starts on, or null when it
 * could not be determined. Computed on demand (most records never need it); call it only during
 * the `record` call it was passed to.
 */
export type LineOf = () => number | null;

/** Consumer of records. Both callbacks are synchronous and run on the hot path. */
export interface RecordHandler {
  start(info: ReaderStart): void;
  /**
   * One data record. `cells` may be shorter or longer than the column list (ragged rows are
   * reported in the issues as well); its strings may share memory with the text read, so copy
   * (`detach`) any cell kept beyond the call. `row` is 1-based (header excluded); `line()` gives
   * the physical line the record starts on.
   */
  record(cells: string[], row: number, line: LineOf): void;
}

/**
 * Which splitter reads the records: `auto` (papaparse, csv-parse where papaparse would differ) or
 * `csv-parse` throughout (the reference the tests compare `auto` with).
 */
export type ReaderEngine = 'auto' | 'csv-parse';

/** Result of {@link readCsv}. */
export interface ReadResult {
  dialect: CsvDialect;
  columns: string[];
  rowCount: number;
  bytesRead: number;
  issues: ReadIssues;
  /** False when a parse error stopped reading early. */
  complete: boolean;
  /**
   * Line from which csv-parse read the records (the first line when it read them all), or null
   * when papaparse read everything. Diagnostics: the papaparse path is the fast one.
   */
  csvParseFrom: number | null;
}

const DECODER_LABEL: Record<Exclude<CsvEncoding, 'utf8'>, string> = {
  latin1: 'windows-1252',
  'windows-1252': 'windows-1252',
  utf16le: 'utf-16le',
  utf16be: 'utf-16be',
};

function bomOf(b: Buffer): { encoding: CsvEncoding; length: number } | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf8', length: 3 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf16le', length: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf16be', length: 2 };
  return null;
}

/**
 * UTF-16 without a byte-order mark: in the first 4 KiB, at least 40 % of the odd (LE) or even (BE)
 * bytes are zero and almost none of the others are — text in other encodings has no NUL bytes.
 */
function utf16WithoutBom(b: Buffer): CsvEncoding | null {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 8) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd >= pairs * 0.4 && even <= pairs * 0.02) return 'utf16le';
  if (even >= pairs * 0.4 && odd <= pairs * 0.02) return 'utf16be';
  return null;
}

function countReplacement(s: string): number {
  let n = 0;
  let i = s.indexOf('\uFFFD');
  while (i !== -1) {
    n++;
    i = s.indexOf('\uFFFD', i + 1);
  }
  return n;
}

/**
 * Streams a CSV source with bounded memory and reports every record to `handler`.
 *
 * 1. Reads ahead `sampleBytes` and detects what the options leave open (encoding from a BOM,
 *    delimiter, quote, header — see dialect-detect.ts).
 * 2. Decodes the bytes chunk by chunk to text (streaming `TextDecoder`; a leading BOM is dropped;
 *    `latin1` is decoded as windows-1252), drops `skipLines` preamble lines and the `sep=` line,
 *    and splits the text into records with papaparse (papa-splitter.ts): each chunk is parsed
 *    synchronously and its records handed to the handler before the next chunk is pulled from
 *    the source, so backpressure is the source's own and memory holds one chunk plus one
 *    incomplete record (capped by `maxRecordSize`). Blank lines are skipped and counted; records
 *    are split on LF, CRLF and CR; quoted fields may hold delimiters, line breaks and doubled quotes.
 * 3. papaparse reads everything the way csv-parse (`relax_quotes`, `relax_column_count`,
 *    `skip_empty_lines`) does, except: an escape character other than the quote, `trim`,
 *    malformed quoting (`"a"b`), lone-CR separators mixed with LF, and one-field `""` records.
 *    For the first two the whole read uses csv-parse (csv-parse-splitter.ts); for the others
 *    csv-parse takes over at the first record boundary where they show (papa-pieces.ts).
 * 4. Encoding errors: in UTF-8 mode every raw chunk is validated with `buffer.isUtf8`
 *    (boundary-safe, see utf8-validator.ts); the decoder turns invalid bytes into U+FFFD, and
 *    once the validator has seen invalid input, cells are scanned for U+FFFD and each one counts
 *    as an error (a genuine U+FFFD in a file that also has invalid bytes is counted too). For
 *    UTF-16, replacement characters are always counted.
 * 5. A fatal parse error (unclosed quote at end of input, a record above `maxRecordSize`) stops
 *    reading; it is returned in `issues.parseError` with `complete: false`, never thrown.
 *
 * `engine` forces csv-parse throughout (`csv-parse`) instead of the default `auto`; tests use it
 * as the reference the papaparse path must match.
 */
export async function readCsv(
  source: CsvSource,
  options: ResolvedCsvReadOptions,
  handler: RecordHandler,
  hooks: ReadHooks = {},
  engine: ReaderEngine = 'auto',
): Promise<ReadResult> {
  const iterator = (source as AsyncIterable<Buffer | Uint8Array | string>)[Symbol.asyncIterator]();
  const signal = hooks.signal;
  signal?.throwIfAborted();
  const progressEvery = hooks.progressEveryBytes ?? 8 * 1024 * 1024;

  // 1. Sample.
  const pending: Buffer[] = [];
  let sampled = 0;
  let done = false;
  while (sampled < options.sampleBytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const b = toBuffer(next.value);
    if (b.length === 0) continue;
    pending.push(b);
    sampled += b.length;
  }
  // Copies at most sampleBytes, even when the source hands over one huge chunk.
  const head = Buffer.concat(pending, Math.min(sampled, options.sampleBytes));
  const bom = bomOf(head);
  const encoding: CsvEncoding =
    options.encoding ?? (bom !== null ? bom.encoding : (utf16WithoutBom(head) ?? 'utf8'));
  const hasBom = bom !== null && bom.encoding === encoding;
  const decoderLabel = encoding === 'utf8' ? 'utf-8' : DECODER_LABEL[encoding];
  let sampleText = new TextDecoder(decoderLabel).decode(head);
  const isNull = createNullMatcher(options.nullValues, options.whitespaceIsNull);
  // Preamble lines, and the `sep=;` line spreadsheet software writes.
  let skipLines = options.skipLines;
  let delimiterOption = options.delimiter;
  sampleText = dropLines(sampleText, skipLines);
  const sep = /^sep=([^\r\n"])\r?\n/.exec(sampleText);
  if (sep !== null) {
    skipLines++;
    delimiterOption ??= sep[1];
    sampleText = dropLines(sampleText, 1);
  }
  const detected = detectDialect(sampleText, {
    delimiter: delimiterOption,
    quote: options.quote,
    escape: options.escape,
    header: options.header,
    trim: options.trim,
    isNull,
    complete: done && head.length === sampled,
  });
  const dialect: CsvDialect = {
    delimiter: detected.delimiter,
    quote: detected.quote,
    escape: detected.escape,
    header: detected.header,
    encoding,
    bom: hasBom,
    lineEnding: detected.lineEnding,
    detected: detected.detected,
  };

  // 2. Record handling.
  const issues: ReadIssues = {
    raggedRows: { count: 0, samples: [] },
    encodingErrors: { count: 0, rowCount: 0, samples: [], suggestedEncoding: null },
    blankLines: 0,
    renamedColumns: [],
    ignoredColumns: 0,
    parseError: null,
  };
  const maxSamples = options.maxIssueSamples;
  const validator = encoding === 'utf8' ? new Utf8Validator() : null;
  const decoder = new TextDecoder(decoderLabel);
  let checkReplacement = encoding === 'utf16le' || encoding === 'utf16be';

  let columns: string[] = [];
  let expectedFields = -1;
  let started = false;
  let rows = 0;

  const noteEncoding = (cells: string[], row: number): void => {
    let rowHit = false;
    for (let j = 0; j < cells.length; j++) {
      const cell = cells[j]!;
      if (cell.indexOf('\uFFFD') === -1) continue;
      issues.encodingErrors.count += countReplacement(cell);
      if (!rowHit) {
        rowHit = true;
        issues.encodingErrors.rowCount++;
        if (issues.encodingErrors.samples.length < maxSamples) {
          issues.encodingErrors.samples.push({ row, line: lineOf(), column: columns[j] ?? `column_${j + 1}` });
        }
      }
    }
  };

  const begin = (firstHeader: string[] | null, fieldCount: number): void => {
    const named = columnNames(firstHeader === null ? null : firstHeader.map(detach), fieldCount);
    columns = named.names;
    issues.renamedColumns = named.renamed;
    expectedFields = fieldCount;
    if (columns.length > options.maxColumns) {
      issues.ignoredColumns = columns.length - options.maxColumns;
      columns = columns.slice(0, options.maxColumns);
    }
    started = true;
    handler.start({ dialect, columns, isNull });
  };

  const onRecord = (cells: string[]): void => {
    if (!started) {
      if (dialect.header) {
        begin(cells, cells.length);
        if (checkReplacement) noteEncoding(cells, 0);
        return;
      }
      begin(null, detected.modalFieldCount > 0 ? detected.modalFieldCount : cells.length);
    }
    rows++;
    if (cells.length !== expectedFields) {
      issues.raggedRows.count++;
      if (issues.raggedRows.samples.length < maxSamples) {
        issues.raggedRows.samples.push({ row: rows, line: lineOf(), fieldCount: cells.length, expected: expectedFields });
      }
    }
    if (checkReplacement) noteEncoding(cells, rows);
    handler.record(cells, rows, lineOf);
  };

  // 3. Splitters: papaparse when it reads the dialect like csv-parse, csv-parse otherwise or from
  // the point where papaparse hands over.
  const firstLine = skipLines + 1;
  const slowOptions = {
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    escape: dialect.escape,
    trim: options.trim,
    maxRecordSize: options.maxRecordSize,
    signal,
  };
  const usePapa = engine === 'auto' && papaSupports(slowOptions);
  const papa = usePapa
    ? new PapaSplitter(
        {
          delimiter: dialect.delimiter,
          quote: dialect.quote,
          newline: papaNewline(dialect.lineEnding),
          maxRecordSize: options.maxRecordSize,
          startLine: firstLine,
        },
        onRecord,
      )
    : null;
  let slow: CsvParseSplitter | null = papa === null ? new CsvParseSplitter({ ...slowOptions, startLine: firstLine }, onRecord) : null;
  let csvParseFrom: number | null = papa === null ? firstLine : null;
  const lineOf: LineOf = () => (slow !== null ? slow.currentLine() : papa!.currentLine());
  const splitError = (): SplitError | null => (slow !== null ? slow.error : papa!.error);
  /** Switches to csv-parse for `rest`, the text papaparse could not read exactly. */
  const handOver = async (rest: string): Promise<void> => {
    csvParseFrom = papa!.line;
    const s = new CsvParseSplitter({ ...slowOptions, startLine: csvParseFrom }, onRecord);
    slow = s;
    await s.write(rest);
  };
  const push = async (text: string): Promise<void> => {
    if (text.length === 0) return;
    if (slow !== null) {
      await slow.write(text);
      return;
    }
    const rest = papa!.write(text);
    if (rest !== null) await handOver(rest);
  };

  const skipper = skipLines > 0 ? new LineSkipper(skipLines) : null;
  let bytesRead = 0;
  let nextProgress = progressEvery;
  const feed = async (raw: Buffer): Promise<void> => {
    bytesRead += raw.length;
    if (validator !== null && !validator.push(raw)) checkReplacement = true;
    let text = decoder.decode(raw, { stream: true });
    if (skipper !== null && !skipper.done) text = skipper.take(text);
    await push(text);
    if (bytesRead >= nextProgress) {
      nextProgress = bytesRead + progressEvery;
      hooks.onProgress?.({ bytesRead, rows });
    }
  };

  let finished = false;
  try {
    for (const b of pending) {
      if (splitError() !== null) break;
      signal?.throwIfAborted();
      await feed(b);
    }
    pending.length = 0;
    while (!done && splitError() === null) {
      signal?.throwIfAborted();
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      const b = toBuffer(next.value);
      if (b.length > 0) await feed(b);
    }
    if (splitError() === null) {
      if (validator !== null && !validator.end()) checkReplacement = true;
      let tail = decoder.decode();
      if (skipper !== null && !skipper.done) tail = skipper.take(tail);
      await push(tail);
      if (slow === null) {
        const rest = papa!.end();
        if (rest !== null) await handOver(rest);
      }
      await slow?.end();
    }
    finished = true;
  } finally {
    if (!done) await iterator.return?.();
    if (!finished) slow?.destroy();
  }
  slow?.destroy();
  if (!started) begin(null, 0);
  issues.blankLines = (papa?.blankLines ?? 0) + (slow?.blankLines ?? 0);
  if (issues.encodingErrors.count > 0 && encoding === 'utf8') issues.encodingErrors.suggestedEncoding = 'windows-1252';
  issues.parseError = splitError();
  const complete = issues.parseError === null;
  hooks.onProgress?.({ bytesRead, rows });
  return { dialect, columns, rowCount: rows, bytesRead, issues, complete, csvParseFrom };
}
