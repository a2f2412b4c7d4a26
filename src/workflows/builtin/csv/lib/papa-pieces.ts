import Papa from 'papaparse';
import type { LineEnding } from './read-options.js';

/** Record separator papaparse splits on: LF (which also covers CRLF, see below) or a lone CR. */
export type PapaNewline = '\n' | '\r';

/** What papaparse needs to know about a dialect. */
export interface PapaDialect {
  delimiter: string;
  quote: string | null;
  newline: PapaNewline;
}

/**
 * Whether papaparse can read a dialect with the same results as the csv-parse configuration the
 * toolkit has always used (`relax_quotes`, `relax_column_count`, `skip_empty_lines`, record
 * delimiters CRLF/LF/CR). It cannot when the escape character differs from the quote (papaparse
 * has no `\\` → `\` unescaping), when fields are trimmed (csv-parse trims around quotes), or for
 * delimiters papaparse refuses or that contain the quote.
 */
export function papaSupports(o: { delimiter: string; quote: string | null; escape: string | null; trim: boolean }): boolean {
  if (o.trim) return false;
  if (o.quote !== null && o.escape !== o.quote) return false;
  if (Papa.BAD_DELIMITERS.includes(o.delimiter)) return false;
  if (o.quote !== null && o.delimiter.includes(o.quote)) return false;
  return true;
}

/** Separator to split on for the line endings seen in the sample (CRLF and mixed LF/CRLF read as LF). */
export function papaNewline(lineEnding: LineEnding): PapaNewline {
  return lineEnding === 'cr' ? '\r' : '\n';
}

/** One parsed piece of text. */
export interface PapaPiece {
  /** The string papaparse parsed (the input, give or take a held-back or added final CR/LF). */
  input: string;
  /** Records in order; a blank line is a record `['']`. Rows are fresh arrays the caller may keep. */
  rows: string[][];
  /** Characters of `input` taken by `rows` (the rest is an incomplete last record). */
  consumed: number;
  /** Index in `rows` of a record whose opening quote is never closed (final piece only), else -1. */
  unclosed: number;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * papaparse's core `Parser` (the class `Papa.parse` runs internally on every chunk of a stream),
 * used directly so the caller keeps the incomplete tail itself and knows exactly how big it is
 * (memory guard), how many line breaks each piece holds (line numbers) and which rows are blank.
 *
 * papaparse and csv-parse agree on well-formed CSV and on stray quotes inside unquoted fields
 * (`12" pizza`). They disagree on malformed quoting — a closing quote followed by something other
 * than a delimiter or line break (`"a"b`, `"a" ,`), which csv-parse keeps verbatim and papaparse
 * reads on to a later quote or trims — on lone CR record separators when splitting on LF, and on
 * a line holding only `""` (an empty one-field record for csv-parse, indistinguishable from a
 * blank line in papaparse's output). {@link parse} detects every such piece (with a few harmless
 * false alarms) and returns null, so the caller can hand the text to csv-parse instead.
 *
 * CRLF is read in LF mode: the CR left at the end of each record's last unquoted field is
 * removed (a CR anywhere else that is not followed by LF makes the piece unsupported), and
 * papaparse already accepts `"x"\r\n` as a closing quote.
 */
export class PapaPieceParser {
  private readonly parser: Papa.Parser;
  private readonly newline: PapaNewline;
  private readonly quote: string | null;
  /** A closing-quote candidate followed by whitespace and then a delimiter or line break (sticky). */
  private readonly spacedQuote: RegExp | null;
  private readonly newlineCode: number;
  private readonly loneCr = /\r(?!\n)/;

  constructor(d: PapaDialect) {
    this.newline = d.newline;
    this.newlineCode = d.newline.charCodeAt(0);
    this.quote = d.quote;
    this.parser = new Papa.Parser({
      delimiter: d.delimiter,
      newline: d.newline,
      quoteChar: d.quote ?? '"',
      escapeChar: d.quote ?? '"',
      // Without quoting, rows are split on line breaks and delimiters only.
      fastMode: d.quote === null ? true : undefined,
      skipEmptyLines: false,
    });
    if (d.quote === null) {
      this.spacedQuote = null;
    } else {
      // papaparse treats any run of `String.prototype.trim` whitespace (= regex \s) between a quote
      // and the next delimiter or line break as padding after a closing quote; csv-parse does not.
      // The run cannot contain the line break, nor a one-character delimiter.
      const q = escapeRe(d.quote);
      const nl = d.newline === '\n' ? '\\n' : '\\r';
      const notIn = d.delimiter.length === 1 ? `${nl}${escapeRe(d.delimiter)}` : nl;
      // `"x"\r\n` is a plain CRLF record end in LF mode, read the same by both.
      const notCrlf = d.newline === '\n' ? '(?!\\r\\n)' : '';
      this.spacedQuote = new RegExp(`${q}${notCrlf}[^\\S${notIn}]+(?:${escapeRe(d.delimiter)}|${nl})`, 'y');
    }
  }

  /**
   * Parses `text`, which starts at a record boundary. Unless `final`, the last record is left out
   * when it may continue in the next piece. Returns null when papaparse could read this text
   * differently from csv-parse (see the class comment).
   */
  parse(text: string, final: boolean): PapaPiece | null {
    let input = text;
    if (input.length > 0 && input.charCodeAt(input.length - 1) === 13) {
      // A CR at the very end may be the first half of a CRLF: hold it back (it stays in the tail,
      // with its record, also in CR mode, so that a hand-over never splits a CRLF), or at the end
      // of the input, where it ends the record like CRLF does, complete it (LF mode).
      if (!final) input = input.slice(0, -1);
      else if (this.newline === '\n') input = `${input}\n`;
    }
    const result = this.parser.parse(input, 0, !final) as { data: string[][]; errors: { code: string; row: number }[]; meta: { cursor: number } };
    let unclosed = -1;
    for (const e of result.errors) {
      if (e.code === 'MissingQuotes' && final) unclosed = e.row;
      else return null;
    }
    if (this.spacedQuote !== null && this.hasSpacedQuote(input)) return null;
    let cr = false;
    if (this.newline === '\n') {
      if (input.indexOf('\r') !== -1) {
        if (this.loneCr.test(input)) return null;
        cr = true;
      }
    } else if (input.indexOf('\n') !== -1) {
      return null;
    }
    const rows = result.data;
    if (final && unclosed === -1 && rows.length > 0 && input.endsWith(this.newline)) {
      // papaparse reports the empty text after the final line break as one more row.
      rows.pop();
    }
    if (this.quote !== null && hasQuotedEmptyLine(input, this.quote, this.newline)) {
      for (const r of rows) if (r.length === 1 && (r[0] === '' || r[0] === '\r')) return null;
    }
    if (cr) {
      // Every CR is followed by LF here; one ending a record's last field belongs to the CRLF.
      for (const r of rows) {
        const k = r.length - 1;
        const last = r[k]!;
        if (last.length > 0 && last.charCodeAt(last.length - 1) === 13) r[k] = last.slice(0, -1);
      }
    }
    return { input, rows, consumed: final ? input.length : result.meta.cursor, unclosed };
  }

  /**
   * Whether a quote in `input` is followed by whitespace and then a delimiter or line break. The
   * regular expression only runs where the character after a quote could start such a run.
   */
  private hasSpacedQuote(input: string): boolean {
    const quote = this.quote!;
    const re = this.spacedQuote!;
    const nl = this.newlineCode;
    for (let i = input.indexOf(quote); i !== -1; i = input.indexOf(quote, i + 1)) {
      const c = input.charCodeAt(i + 1);
      if ((c > 32 && c < 127) || c === nl) continue; // not whitespace (NaN at the end fails both)
      if (c !== c) return false;
      if (c === 13 && nl === 10 && input.charCodeAt(i + 2) === 10) continue; // CRLF
      re.lastIndex = i;
      if (re.test(input)) return true;
    }
    return false;
  }
}

/** Whether some line of `text` is exactly `""` (optionally before a CR in LF mode). */
function hasQuotedEmptyLine(text: string, quote: string, newline: PapaNewline): boolean {
  const pair = quote + quote;
  const isEnd = (i: number): boolean => {
    if (i >= text.length) return true;
    const c = text[i];
    return c === newline || (newline === '\n' && c === '\r');
  };
  if (text.startsWith(pair) && isEnd(2)) return true;
  const needle = newline + pair;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
    if (isEnd(i + 3)) return true;
  }
  return false;
}

/** Counts occurrences of the character `ch` in `text[0, end)`. */
export function countChar(text: string, ch: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1 && i < end; i = text.indexOf(ch, i + 1)) n++;
  return n;
}
