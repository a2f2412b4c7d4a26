import { countChar, PapaPieceParser, type PapaDialect, type PapaPiece } from './papa-pieces.js';
import type { RecordSink, SplitError } from './record-sink.js';

/** Settings of a {@link PapaSplitter}. */
export interface PapaSplitterOptions extends PapaDialect {
  /** Largest record, in characters, before reading stops with CSV_MAX_RECORD_SIZE. */
  maxRecordSize: number;
  /** 1-based physical line the first text written starts on. */
  startLine: number;
}

/** Sums the characters of a record's fields (csv-parse's measure for `max_record_size`). */
function recordSize(cells: string[]): number {
  let n = 0;
  for (let i = 0; i < cells.length; i++) n += cells[i]!.length;
  return n;
}

/**
 * Streaming record splitter on papaparse. Text is written piece by piece (decoded chunks); each
 * write parses the incomplete tail of the previous piece plus the new text synchronously and
 * hands every complete non-blank record to the sink before returning, so memory holds one piece
 * and one incomplete record at most — and the incomplete record is capped by `maxRecordSize`
 * (papaparse has no such guard: an unclosed quote would otherwise keep the rest of the file).
 *
 * Line numbers cost nothing until asked for: a piece whose line-break count equals its record
 * count has no multi-line records, so a record's line is the piece's first line plus its index;
 * otherwise `currentLine()` counts the breaks inside the records before it, once.
 *
 * When a piece is one papaparse could read differently from csv-parse (see papa-pieces.ts),
 * `write`/`end` return the text not yet read, starting at a record boundary at line `line`,
 * and the splitter must not be written to again: the caller continues with csv-parse.
 */
export class PapaSplitter {
  /** Blank lines skipped so far. */
  blankLines = 0;
  /** Set when reading must stop (the splitter then ignores further text). */
  error: SplitError | null = null;
  private readonly pieces: PapaPieceParser;
  private readonly newline: string;
  private readonly maxRecordSize: number;
  private readonly sink: RecordSink;
  private tail = '';
  private nextLine: number;
  // Line bookkeeping for the rows of the piece being delivered.
  private rows: string[][] = [];
  private firstLine = 0;
  private multiLine = false;
  private scanIndex = 0;
  private scanLine = 0;
  private current = 0;

  constructor(o: PapaSplitterOptions, sink: RecordSink) {
    this.pieces = new PapaPieceParser(o);
    this.newline = o.newline;
    this.maxRecordSize = o.maxRecordSize;
    this.nextLine = o.startLine;
    this.sink = sink;
  }

  /** 1-based physical line where the text not yet delivered starts. */
  get line(): number {
    return this.nextLine;
  }

  /** Physical line the record being delivered starts on (valid inside the sink call). */
  currentLine(): number {
    if (!this.multiLine) return this.firstLine + this.current;
    const nl = this.newline;
    while (this.scanIndex < this.current) {
      const cells = this.rows[this.scanIndex++]!;
      let lines = 1;
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j]!;
        if (c.length > 0 && c.indexOf(nl) !== -1) lines += countChar(c, nl, c.length);
      }
      this.scanLine += lines;
    }
    return this.scanLine;
  }

  /** Reads the next piece of text; returns null, or the unread text when csv-parse must take over. */
  write(text: string): string | null {
    if (this.error !== null) return null;
    const input = this.tail.length === 0 ? text : this.tail + text;
    const piece = this.pieces.parse(input, false);
    if (piece === null) {
      this.tail = '';
      return input;
    }
    this.tail = input.substring(piece.consumed);
    this.deliver(piece, false);
    if (this.error === null && this.tail.length > this.maxRecordSize) {
      this.error = {
        code: 'CSV_MAX_RECORD_SIZE',
        message: `Max record size: the record starting at line ${this.nextLine} exceeds ${this.maxRecordSize} characters`,
        line: this.nextLine,
      };
      this.tail = '';
    }
    return null;
  }

  /** Reads what is left; returns null, or the unread text when csv-parse must take over. */
  end(): string | null {
    if (this.error !== null || this.tail.length === 0) return null;
    const input = this.tail;
    this.tail = '';
    const piece = this.pieces.parse(input, true);
    if (piece === null) return input;
    this.deliver(piece, true);
    return null;
  }

  private deliver(piece: PapaPiece, final: boolean): void {
    const { rows, input, consumed, unclosed } = piece;
    const breaks = countChar(input, this.newline, consumed);
    const terminated = final && !input.endsWith(this.newline) ? rows.length - 1 : rows.length;
    this.rows = rows;
    this.firstLine = this.nextLine;
    this.multiLine = breaks !== terminated;
    this.scanIndex = 0;
    this.scanLine = this.nextLine;
    this.nextLine += breaks;
    const n = unclosed === -1 ? rows.length : unclosed;
    const checkSize = consumed > this.maxRecordSize;
    const sink = this.sink;
    for (let i = 0; i < n; i++) {
      const cells = rows[i]!;
      if (cells.length === 1 && cells[0] === '') {
        this.blankLines++;
        continue;
      }
      this.current = i;
      if (checkSize && recordSize(cells) > this.maxRecordSize) {
        const line = this.currentLine();
        this.error = {
          code: 'CSV_MAX_RECORD_SIZE',
          message: `Max record size: the record starting at line ${line} exceeds ${this.maxRecordSize} characters`,
          line,
        };
        return;
      }
      sink(cells);
    }
    if (unclosed !== -1) {
      this.current = unclosed;
      const line = this.currentLine();
      this.error = {
        code: 'CSV_QUOTE_NOT_CLOSED',
        message: `Quote not closed: the record starting at line ${line} opens a quote that the input never closes`,
        line,
      };
    }
  }
}
