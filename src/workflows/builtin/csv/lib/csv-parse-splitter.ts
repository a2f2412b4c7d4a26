import { Parser } from 'csv-parse';
import type { RecordSink, SplitError } from './record-sink.js';

/** Settings of a {@link CsvParseSplitter}. */
export interface CsvParseSplitterOptions {
  delimiter: string;
  quote: string | null;
  escape: string | null;
  trim: boolean;
  /** Largest record, in characters, before reading stops with CSV_MAX_RECORD_SIZE. */
  maxRecordSize: number;
  /** 1-based physical line the first text written starts on. */
  startLine: number;
  /** Aborts a wait for the parser to drain. */
  signal?: AbortSignal | undefined;
}

/** CRLF pairs inside the fields of a record (only quoted fields can hold line breaks). */
function crlfCount(cells: string[]): number {
  let n = 0;
  for (const c of cells) {
    for (let i = c.indexOf('\r\n'); i !== -1; i = c.indexOf('\r\n', i + 2)) n++;
  }
  return n;
}

/**
 * Record splitter on csv-parse's streaming `Parser` (`relax_column_count`, `relax_quotes`,
 * `skip_empty_lines`, record delimiters CRLF/LF/CR, `ltrim`/`rtrim`, `max_record_size`). The
 * reader uses it for what papaparse cannot read the same way (an escape character other than the
 * quote, trimming, malformed quoting, lone CR separators mixed with LF; see papa-pieces.ts),
 * from the first record boundary where that shows.
 *
 * Line numbers come from the parser's counters, which are only meaningful while the parser is
 * inside our `write` (records delivered later, after backpressure, get a null line).
 */
export class CsvParseSplitter {
  /** Set when reading must stop. */
  error: SplitError | null = null;
  private readonly parser: Parser;
  private readonly signal: AbortSignal | undefined;
  private readonly ended: Promise<void>;
  private readonly base: number;
  private writing = false;
  private linesKnown = true;
  private prevEndLine: number;
  private prevEmpty = 0;
  private crlfInQuotes = 0;
  private line: number | null = null;
  private endsWithBreak = false;
  private failure: (Error & { code?: unknown }) | null = null;

  constructor(o: CsvParseSplitterOptions, sink: RecordSink) {
    this.signal = o.signal;
    this.base = o.startLine - 1;
    this.prevEndLine = this.base;
    this.parser = new Parser({
      delimiter: o.delimiter,
      quote: o.quote === null ? false : o.quote,
      escape: o.escape === null ? false : o.escape,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      ltrim: o.trim,
      rtrim: o.trim,
      max_record_size: o.maxRecordSize,
      encoding: 'utf8',
    });
    const parser = this.parser;
    const base = this.base;
    parser.on('data', (cells: string[]) => {
      if (!this.writing) this.linesKnown = false;
      if (this.linesKnown) {
        const info = parser.info;
        this.line = this.prevEndLine + 1 + (info.empty_lines - this.prevEmpty);
        // csv-parse counts a CRLF inside a quoted field as two lines; count it once.
        this.crlfInQuotes += crlfCount(cells);
        this.prevEndLine = base + info.lines - this.crlfInQuotes;
        this.prevEmpty = info.empty_lines;
      } else {
        this.line = null;
      }
      sink(cells);
    });
    parser.on('error', (err: Error) => {
      this.failure ??= err;
    });
    this.ended = new Promise<void>((resolve) => {
      parser.once('end', resolve);
      parser.once('close', resolve);
      parser.once('error', () => resolve());
    });
  }

  /** Physical line the record being delivered starts on, or null when unknown. */
  currentLine(): number | null {
    return this.line;
  }

  /** Blank lines skipped (valid once ended). */
  get blankLines(): number {
    // At the end of the input, csv-parse counts its final line break as one more empty line
    // (not when it stopped with an error before).
    const extra = this.endsWithBreak && this.error === null ? 1 : 0;
    return Math.max(0, this.parser.info.empty_lines - extra);
  }

  /** Reads the next piece of text, waiting for the parser to drain when it asks to. */
  async write(text: string): Promise<void> {
    this.noteFailure();
    if (this.error !== null || text.length === 0) return;
    const last = text.charCodeAt(text.length - 1);
    this.endsWithBreak = last === 10 || last === 13;
    this.writing = true;
    const ok = this.parser.write(text);
    this.writing = false;
    if (!ok && this.failure === null) await this.drained();
    this.noteFailure();
  }

  /** Ends the input and waits for the last records. */
  async end(): Promise<void> {
    if (this.error === null) {
      this.writing = true;
      this.parser.end();
      this.writing = false;
      await this.ended;
    }
    this.noteFailure();
    this.parser.destroy();
  }

  /** Stops the parser (after an abort or an error elsewhere). */
  destroy(): void {
    this.parser.destroy();
  }

  /** Waits for `drain` (or for the parser to fail or close); rejects when the signal aborts. */
  private drained(): Promise<void> {
    const parser = this.parser;
    const signal = this.signal;
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        parser.off('drain', done);
        parser.off('error', done);
        parser.off('close', done);
        signal?.removeEventListener('abort', abort);
      };
      const done = (): void => {
        cleanup();
        resolve();
      };
      const abort = (): void => {
        cleanup();
        reject(signal!.reason);
      };
      parser.once('drain', done);
      parser.once('error', done);
      parser.once('close', done);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }

  private noteFailure(): void {
    if (this.failure === null || this.error !== null) return;
    const e = this.failure;
    this.error = {
      code: typeof e.code === 'string' ? e.code : 'CSV_PARSE_ERROR',
      message: e.message,
      line: this.base + this.parser.info.lines - this.crlfInQuotes,
    };
    this.parser.destroy();
  }
}
