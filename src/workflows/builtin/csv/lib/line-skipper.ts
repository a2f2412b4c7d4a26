/**
 * Drops the first `n` physical lines of a text that arrives in pieces. A line ends at LF, CRLF or
 * a lone CR (as csv-parse's record delimiters do); a CRLF split between two pieces counts once.
 * Lines are raw text here: quotes in a preamble do not matter.
 */
export class LineSkipper {
  private left: number;
  private afterCr = false;

  constructor(lines: number) {
    this.left = lines;
  }

  /** True once every line to skip is gone (later text passes through unchanged). */
  get done(): boolean {
    return this.left === 0 && !this.afterCr;
  }

  /** Returns what is left of `text` after the lines still to skip. */
  take(text: string): string {
    let i = 0;
    if (this.afterCr && text.length > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    while (this.left > 0) {
      let j = i;
      let c = 0;
      for (; j < text.length; j++) {
        c = text.charCodeAt(j);
        if (c === 10 || c === 13) break;
      }
      if (j === text.length) return '';
      this.left--;
      if (c === 13) {
        if (j + 1 === text.length) this.afterCr = true;
        else if (text.charCodeAt(j + 1) === 10) j++;
      }
      i = j + 1;
    }
    return i === 0 ? text : text.slice(i);
  }
}

/** Removes the first `n` lines of a whole text (see {@link LineSkipper}). */
export function dropLines(text: string, n: number): string {
  return n === 0 ? text : new LineSkipper(n).take(text);
}
