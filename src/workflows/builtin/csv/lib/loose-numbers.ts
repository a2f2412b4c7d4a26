import { commaValue, dotValue, scaledValue, type NumberScan } from './number-scan.js';
import type { NumberStats } from './number-stats.js';
import type { MostlyNumeric } from './profile-schema.js';
import { MOSTLY_TYPED as MOSTLY_NUMBERS } from './quality/derive-file-rules.js';
import { truncateCopy } from './truncate.js';

/** Values that are not numbers a mostly-numeric column may have before more than the 'mostly' share counts. */
const MIN_OTHERS = 16;

/**
 * The numbers of a column that had been numeric until its first value that is not a number: the
 * stats of its convention go on, counting the values that are not numbers, until those are more
 * than a few (then the column is text after all, and the profiler drops this).
 */
export class LooseNumbers {
  private others = 1;
  private readonly firstOther: string;

  constructor(
    private readonly stats: NumberStats,
    private readonly separator: '.' | ',',
    first: string,
  ) {
    this.firstOther = truncateCopy(first, 40);
  }

  /**
   * One more value of the column (`scanned`: `scan` holds its reading as a number). False once the
   * values that are not numbers are too many: the column is text.
   */
  add(v: string, scanned: boolean, scan: NumberScan, count: number): boolean {
    const s = this.separator === '.' ? scan.dot : scan.comma;
    if (scanned && s.valid) {
      let x = scaledValue(scan, s.scale);
      if (Number.isNaN(x)) x = this.separator === '.' ? dotValue(v, s.grouped) : commaValue(v, s.grouped);
      this.stats.add(x, s.integer && !scan.exponent, s.intDigits, s.scale, s.grouped);
      return true;
    }
    this.others++;
    // more than a few values that are not numbers, and more than the 'mostly' share allows: text
    return !(this.others > MIN_OTHERS && this.others > (1 - MOSTLY_NUMBERS) * count);
  }

  /** The numbers' range, or null when they are not the 'mostly' share of the values. */
  result(): MostlyNumeric | null {
    const numbers = this.stats.moments.count;
    if (numbers < MOSTLY_NUMBERS * (numbers + this.others)) return null;
    return { numbers, others: this.others, firstOther: this.firstOther, min: this.stats.min, max: this.stats.max, mean: this.stats.moments.mean, decimalSeparator: this.separator };
  }
}
