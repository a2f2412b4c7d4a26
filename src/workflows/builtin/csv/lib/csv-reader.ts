import { once } from 'node:events';
import { Parser, type Options as ParseOptions } from 'csv-parse';
import { columnNames } from './column-names.js';
import { toBuffer, type CsvSource, type ReadHooks } from './csv-source.js';
import { detectDialect } from './dialect-detect.js';
import { createNullMatcher } from './null-values.js';
import type { CsvDialect, CsvEncoding, ReadIssues, ResolvedCsvReadOptions } from './read-options.js';
import { Utf8Validator } from './utf8-validator.js';

/** What the reader tells its consumer before the first data record. */
export interface ReaderStart {
  dialect: CsvDialect;
  /** Analysed column names (at most `maxColumns`). */
  columns: string[];
  /** Null predicate built from the options (shared so consumers agree with the reader). */
  isNull: (v: string) => boolean;
}

/** Consumer of records. Both callbacks are synchronous and run on the hot path. */
export interface RecordHandler {
  start(info: ReaderStart): void;
  /**
   * One data record. `cells` may be shorter or longer than the column list (ragged rows are
   * reported in the issues as well). `row` is 1-based (header excluded); `line` is the 1-based
   * physical line the record starts on, or null when it could not be determined.
   */
  record(cells: string[], row: number, line: number | null): void;
}

/** Result of {@link readCsv}. */
export interface ReadResult {
  dialect: CsvDialect;
  columns: string[];
  rowCount: number;
  bytesRead: number;
  issues: ReadIssues;
  /** False when a parse error stopped reading early. */
  complete: boolean;
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

/** Removes the first `n` lines of a text sample. */
function dropLines(text: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) {
    const i = text.indexOf('\n', at);
    if (i === -1) return '';
    at = i + 1;
  }
  return at === 0 ? text : text.slice(at);
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
 * Streams a CSV source through csv-parse with bounded memory and reports every record to
 * `handler`.
 *
 * 1. Reads ahead `sampleBytes` and detects what the options leave open (encoding from a BOM,
 *    delimiter, quote, header — see dialect-detect.ts).
 * 2. Feeds the bytes to csv-parse's streaming `Parser` (`relax_column_count`, `relax_quotes`,
 *    `skip_empty_lines`, record delimiters CRLF/LF/CR, `max_record_size`), honouring backpressure;
 *    records arrive through `data` events and are handed to the handler synchronously.
 * 3. Encoding errors: in UTF-8 mode every raw chunk is validated with `buffer.isUtf8`
 *    (boundary-safe, see utf8-validator.ts). csv-parse decodes invalid bytes to U+FFFD; once the
 *    validator has seen invalid input, cells are scanned for U+FFFD and each one counts as an
 *    error (a genuine U+FFFD character in a file that also has invalid bytes is counted too).
 *    Other encodings are transcoded to UTF-8 first with a streaming `TextDecoder`; `latin1` is
 *    decoded as windows-1252. For UTF-16, replacement characters are always counted.
 * 4. A fatal parse error (unclosed quote at end of input, a record above `maxRecordSize`) stops
 *    reading; it is returned in `issues.parseError` with `complete: false`, never thrown.
 */
export async function readCsv(
  source: CsvSource,
  options: ResolvedCsvReadOptions,
  handler: RecordHandler,
  hooks: ReadHooks = {},
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
  let sampleText = new TextDecoder(encoding === 'utf8' ? 'utf-8' : DECODER_LABEL[encoding]).decode(head);
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

  // 2. Parser and record handling.
  const issues: ReadIssues = {
    raggedRows: { count: 0, samples: [] },
    encodingErrors: { count: 0, rowCount: 0, samples: [], suggestedEncoding: null },
    blankLines: 0,
    renamedColumns: [],
    ignoredColumns: 0,
    parseError: null,
  };
  const maxSamples = options.maxIssueSamples;
  const parseOptions: ParseOptions = {
    delimiter: dialect.delimiter,
    quote: dialect.quote === null ? false : dialect.quote,
    escape: dialect.escape === null ? false : dialect.escape,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    ltrim: options.trim,
    rtrim: options.trim,
    max_record_size: options.maxRecordSize,
    encoding: 'utf8',
    from_line: skipLines + 1,
  };
  const parser = new Parser(parseOptions);
  const validator = encoding === 'utf8' ? new Utf8Validator() : null;
  const transcoder = encoding === 'utf8' ? null : new TextDecoder(DECODER_LABEL[encoding]);
  let checkReplacement = encoding === 'utf16le' || encoding === 'utf16be';

  let columns: string[] = [];
  let expectedFields = -1;
  let started = false;
  let rows = 0;
  let writing = false;
  let linesKnown = true;
  let prevEndLine = skipLines;
  let prevEmpty = 0;
  let parseError: Error | null = null;

  const noteEncoding = (cells: string[], row: number, line: number | null): void => {
    let rowHit = false;
    for (let j = 0; j < cells.length; j++) {
      const cell = cells[j]!;
      if (cell.indexOf('\uFFFD') === -1) continue;
      issues.encodingErrors.count += countReplacement(cell);
      if (!rowHit) {
        rowHit = true;
        issues.encodingErrors.rowCount++;
        if (issues.encodingErrors.samples.length < maxSamples) {
          issues.encodingErrors.samples.push({ row, line, column: columns[j] ?? `column_${j + 1}` });
        }
      }
    }
  };

  const begin = (firstHeader: string[] | null, fieldCount: number): void => {
    const named = columnNames(firstHeader, fieldCount);
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

  parser.on('data', (cells: string[]) => {
    let line: number | null = null;
    // Line numbers come from the parser's counters, valid only while it is inside our write().
    if (!writing) linesKnown = false;
    if (linesKnown) {
      const info = parser.info;
      line = prevEndLine + 1 + (info.empty_lines - prevEmpty);
      prevEndLine = info.lines;
      prevEmpty = info.empty_lines;
    }
    if (!started) {
      if (dialect.header) {
        begin(cells, cells.length);
        if (checkReplacement) noteEncoding(cells, 0, line);
        return;
      }
      begin(null, detected.modalFieldCount > 0 ? detected.modalFieldCount : cells.length);
    }
    rows++;
    if (cells.length !== expectedFields) {
      issues.raggedRows.count++;
      if (issues.raggedRows.samples.length < maxSamples) {
        issues.raggedRows.samples.push({ row: rows, line, fieldCount: cells.length, expected: expectedFields });
      }
    }
    if (checkReplacement) noteEncoding(cells, rows, line);
    handler.record(cells, rows, line);
  });
  parser.on('error', (err: Error) => {
    parseError ??= err;
  });
  const ended = new Promise<void>((resolve) => {
    parser.once('end', resolve);
    parser.once('close', resolve);
    parser.once('error', () => resolve());
  });

  let bytesRead = 0;
  let endsWithBreak = false;
  let nextProgress = progressEvery;
  const feed = async (raw: Buffer): Promise<void> => {
    bytesRead += raw.length;
    let chunk = raw;
    if (validator !== null) {
      if (!validator.push(raw)) checkReplacement = true;
    } else if (transcoder !== null) {
      chunk = Buffer.from(transcoder.decode(raw, { stream: true }), 'utf8');
    }
    if (chunk.length > 0) {
      const last = chunk[chunk.length - 1];
      endsWithBreak = last === 10 || last === 13;
    }
    writing = true;
    const ok = parser.write(chunk);
    writing = false;
    if (!ok && parseError === null) {
      try {
        await once(parser, 'drain', signal ? { signal } : {});
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        parseError ??= err as Error;
      }
    }
    if (bytesRead >= nextProgress) {
      nextProgress = bytesRead + progressEvery;
      hooks.onProgress?.({ bytesRead, rows });
    }
  };

  let finished = false;
  try {
    for (const b of pending) {
      if (parseError !== null) break;
      signal?.throwIfAborted();
      await feed(b);
    }
    pending.length = 0;
    while (!done && parseError === null) {
      signal?.throwIfAborted();
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      const b = toBuffer(next.value);
      if (b.length > 0) await feed(b);
    }
    finished = true;
  } finally {
    if (!done) await iterator.return?.();
    if (!finished) parser.destroy();
  }
  if (parseError === null) {
    if (validator !== null && !validator.end()) checkReplacement = true;
    if (transcoder !== null) {
      const tail = transcoder.decode();
      if (tail.length > 0) {
        endsWithBreak = tail.endsWith('\n') || tail.endsWith('\r');
        writing = true;
        parser.write(Buffer.from(tail, 'utf8'));
        writing = false;
      }
    }
    writing = true;
    parser.end();
    writing = false;
    await ended;
  } else {
    parser.destroy();
  }
  if (!started) begin(null, 0);
  // csv-parse counts the final line break of the input as one more empty line.
  issues.blankLines = Math.max(0, parser.info.empty_lines - (endsWithBreak ? 1 : 0));
  if (issues.encodingErrors.count > 0 && encoding === 'utf8') issues.encodingErrors.suggestedEncoding = 'windows-1252';
  const complete = parseError === null;
  if (parseError !== null) {
    const e = parseError as Error & { code?: unknown };
    issues.parseError = {
      code: typeof e.code === 'string' ? e.code : 'CSV_PARSE_ERROR',
      message: e.message,
      line: parser.info.lines ?? null,
    };
  }
  hooks.onProgress?.({ bytesRead, rows });
  return { dialect, columns, rowCount: rows, bytesRead, issues, complete };
}
