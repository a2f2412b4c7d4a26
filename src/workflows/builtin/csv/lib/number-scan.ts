/**
 * Character-level number recognition (no regular expressions on the hot path).
 *
 * A value is read under two conventions at once:
 * - DOT:   `.` is the decimal separator, `,` an optional thousands separator (`1,234.5`), and an
 *          exponent is allowed (`1.5e-3`);
 * - COMMA: `,` is the decimal separator, `.` an optional thousands separator (`1.234,5`), no exponent.
 * Thousands groups must be exactly three digits after a first group of one to three digits.
 * A leading zero followed by another digit (`007`, `00.5`) makes the value a non-number: such
 * values are codes (zip codes, ids) that a numeric type would corrupt. `+`/`-` signs are allowed;
 * `NaN`, `Infinity` and hexadecimal are not numbers here.
 */

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)`. Once any class in the process
 * extends String (ioredis, loaded by every BullMQ worker, does), V8 (Node 20) makes each method call
 * `s.charCodeAt(i)` several times slower; a call through a module constant keeps its full speed.
 */
const charCodeAt: (this: string, index: number) => number = String.prototype.charCodeAt;

/** Result of reading one value under one convention. */
export interface NumberReading {
  valid: boolean;
  integer: boolean;
  /** Digits before the decimal separator (without sign or grouping). */
  intDigits: number;
  /** Digits after the decimal separator. */
  scale: number;
  /** Thousands separators were present. */
  grouped: boolean;
}

/** Scratch result reused across calls (avoids an allocation per cell). */
export interface NumberScan {
  dot: NumberReading;
  comma: NumberReading;
  exponent: boolean;
  /**
   * All mantissa digits as one signed integer (separators dropped), when there are at most 15 of
   * them (so it is exact); NaN otherwise. See {@link scaledValue}.
   */
  digits: number;
}

const reading = (): NumberReading => ({ valid: false, integer: false, intDigits: 0, scale: 0, grouped: false });

/** Creates a scratch object for {@link scanNumber}. */
export function createNumberScan(): NumberScan {
  return { dot: reading(), comma: reading(), exponent: false, digits: Number.NaN };
}

const MAX_RUNS = 64;
const runLen = new Int32Array(MAX_RUNS);
const runSep = new Int32Array(MAX_RUNS); // separator char code that ENDS run i (0 for the last)

/**
 * Scans `s` and fills `out`. Returns true when the value is a number under at least one convention.
 */
export function scanNumber(s: string, out: NumberScan): boolean {
  out.dot.valid = false;
  out.comma.valid = false;
  out.exponent = false;
  out.digits = Number.NaN;
  const n = s.length;
  if (n === 0 || n > 400) return false;
  let i = 0;
  let c = charCodeAt.call(s, 0);
  const negative = c === 45;
  if (c === 43 || c === 45) {
    i = 1;
    if (n === 1) return false;
  }
  let mantissa = 0;
  // Split the mantissa into digit runs separated by single '.'/',' characters.
  let runs = 0;
  let len = 0;
  let expAt = -1;
  let digitsTotal = 0;
  for (; i < n; i++) {
    c = charCodeAt.call(s, i);
    if (c >= 48 && c <= 57) {
      len++;
      digitsTotal++;
      mantissa = mantissa * 10 + (c - 48);
    } else if (c === 46 || c === 44) {
      if (runs >= MAX_RUNS - 1) return false;
      runLen[runs] = len;
      runSep[runs] = c;
      runs++;
      len = 0;
    } else if (c === 101 || c === 69) {
      expAt = i;
      break;
    } else {
      return false;
    }
  }
  runLen[runs] = len;
  runSep[runs] = 0;
  runs++;
  if (digitsTotal === 0) return false;
  if (digitsTotal <= 15) out.digits = negative ? -mantissa : mantissa;
  // Leading zero followed by a digit ⇒ a code, not a number.
  const first = runLen[0]!;
  const firstChar = charCodeAt.call(s, charCodeAt.call(s, 0) === 43 || charCodeAt.call(s, 0) === 45 ? 1 : 0);
  if (first > 1 && firstChar === 48) return false;
  if (expAt >= 0) {
    // Exponent: [eE][+-]?digits to the end; only under DOT without grouping.
    let j = expAt + 1;
    if (j < n && (charCodeAt.call(s, j) === 43 || charCodeAt.call(s, j) === 45)) j++;
    if (j >= n) return false;
    for (; j < n; j++) {
      const d = charCodeAt.call(s, j);
      if (d < 48 || d > 57) return false;
    }
    out.exponent = true;
    readConvention(runs, 46, 44, out.dot);
    if (out.dot.grouped) out.dot.valid = false;
    if (out.dot.valid) out.dot.integer = false;
    return out.dot.valid;
  }
  readConvention(runs, 46, 44, out.dot);
  readConvention(runs, 44, 46, out.comma);
  return out.dot.valid || out.comma.valid;
}

function readConvention(runs: number, decimal: number, group: number, r: NumberReading): void {
  r.valid = false;
  r.integer = false;
  r.grouped = false;
  r.intDigits = 0;
  r.scale = 0;
  let k = 0;
  let intDigits = runLen[0]!;
  // Grouped integer part: first run 1..3 digits, then `group` + exactly 3 digits, repeated.
  if (runs > 1 && runSep[0] === group) {
    if (intDigits < 1 || intDigits > 3) return;
    while (k < runs - 1 && runSep[k] === group) {
      if (runLen[k + 1] !== 3) return;
      intDigits += 3;
      k++;
    }
    r.grouped = true;
  }
  // Now run k ends the integer part.
  if (k === runs - 1) {
    if (intDigits === 0) return;
    r.valid = true;
    r.integer = true;
    r.intDigits = intDigits;
    return;
  }
  if (runSep[k] !== decimal || k + 1 !== runs - 1) return;
  const scale = runLen[k + 1]!;
  if (intDigits === 0 && scale === 0) return;
  r.valid = true;
  r.integer = false;
  r.intDigits = intDigits;
  r.scale = scale;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Value of the last scanned number for a reading with `scale` decimals, without parsing the text
 * again: `digits / 10^scale`. Both operands are exact (≤ 15 digits < 2^53, 10^scale ≤ 10^15) and
 * IEEE division rounds correctly, so this equals `Number()` of the text (Clinger's fast path).
 * NaN when it does not apply (more than 15 digits, or an exponent).
 */
export function scaledValue(scan: NumberScan, scale: number): number {
  return scan.exponent ? Number.NaN : scan.digits / POW10[scale]!;
}

/** Numeric value of `s` under DOT, given a valid reading. */
export function dotValue(s: string, grouped: boolean): number {
  return grouped ? Number(s.replace(/,/g, '')) : Number(s);
}

/** Numeric value of `s` under COMMA, given a valid reading. */
export function commaValue(s: string, grouped: boolean): number {
  let t = s;
  if (grouped) t = t.replace(/\./g, '');
  return Number(t.replace(',', '.'));
}
