/**
 * Character-level date and timestamp recognition (no regular expressions on the hot path).
 *
 * Dates:   `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` (year first), and day/month first with `/`, `-`
 *          or `.`: `MM/DD/YYYY` or `DD/MM/YYYY` — both readings are reported and the column decides
 *          (see column-profiler.ts). Month and day may have one or two digits; the year has four.
 *          Two-digit years are not recognised.
 * Times:   a date, then `T` or a space, then `H:MM`/`HH:MM`, optional `:SS`, optional fraction
 *          (`.` or `,` and 1–9 digits), optional ` AM`/`PM` (12-hour clock), optional zone: `Z`,
 *          `±HH`, `±HHMM`, `±HH:MM`, `UTC` or `GMT`, optionally after one space.
 * Values are validated (month 1–12, real day of month including leap years, hour/minute/second).
 *
 * Each reading yields a chronological key in milliseconds since 1970-01-01T00:00Z; values without
 * a zone are treated as UTC for ordering.
 */

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)`. Once any class in the process
 * extends String (ioredis, loaded by every BullMQ worker, does), V8 (Node 20) makes each method call
 * `s.charCodeAt(i)` several times slower; a call through a module constant keeps its full speed.
 */
const charCodeAt: (this: string, index: number) => number = String.prototype.charCodeAt;

/** Format bits describing how a value was written (combined into one small integer code). */
export const FMT_YMD = 1; // year first
export const FMT_DMY_FAMILY = 2; // day/month first (order decided per column)
export const FMT_SEP_DASH = 0 << 2;
export const FMT_SEP_SLASH = 1 << 2;
export const FMT_SEP_DOT = 2 << 2;
export const FMT_TIME_T = 1 << 4;
export const FMT_TIME_SPACE = 2 << 4;
export const FMT_SECONDS = 1 << 6;
export const FMT_FRACTION = 1 << 7;
export const FMT_AMPM = 1 << 8;
export const FMT_ZONE_Z = 1 << 9;
export const FMT_ZONE_OFFSET = 2 << 9;
export const FMT_ZONE_NAME = 3 << 9;

/** Scratch result reused across calls. */
export interface TemporalScan {
  /** True when a time of day is present (a timestamp), false for a date only. */
  hasTime: boolean;
  /** True when a zone (Z, offset, UTC/GMT) is present. */
  zoned: boolean;
  /** Format code (FMT_* bits). */
  format: number;
  /** Year-first (unambiguous) reading valid. */
  ymd: boolean;
  /** Month-first reading valid (day/month-first family only). */
  mdy: boolean;
  /** Day-first reading valid (day/month-first family only). */
  dmy: boolean;
  /** Key of the year-first reading. */
  keyYmd: number;
  /** Key of the month-first reading. */
  keyMdy: number;
  /** Key of the day-first reading. */
  keyDmy: number;
}

export function createTemporalScan(): TemporalScan {
  return { hasTime: false, zoned: false, format: 0, ymd: false, mdy: false, dmy: false, keyYmd: 0, keyMdy: 0, keyDmy: 0 };
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

// Parser cursor state (module-level to avoid allocations; the parser is synchronous).
let pos = 0;
let str = '';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Reads 1..max digits; returns the number or -1. */
function digits(min: number, max: number): number {
  let v = 0;
  let k = 0;
  while (k < max && pos < str.length) {
    const c = charCodeAt.call(str, pos);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    pos++;
    k++;
  }
  return k >= min ? v : -1;
}

/**
 * Recognises a date or timestamp. Returns false when `s` is neither; otherwise fills `out`.
 */
export function scanTemporal(s: string, out: TemporalScan): boolean {
  const n = s.length;
  if (n < 8 || n > 40) return false;
  const c0 = charCodeAt.call(s, 0);
  if (c0 < 48 || c0 > 57) return false;
  if (n >= 10 && charCodeAt.call(s, 4) === 45 && charCodeAt.call(s, 7) === 45) {
    const fast = scanIsoFast(s, n, out);
    if (fast !== undefined) return fast;
  }
  str = s;
  pos = 0;
  let format = 0;
  let y = 0;
  let a = 0;
  let b = 0;
  // Year-first if the first four characters are digits.
  const c4 = charCodeAt.call(s, 4);
  let sep: number;
  if ((c4 === 45 || c4 === 47 || c4 === 46) && isDigit(charCodeAt.call(s, 1)) && isDigit(charCodeAt.call(s, 2)) && isDigit(charCodeAt.call(s, 3))) {
    y = digits(4, 4);
    if (y < 0) return false;
    sep = charCodeAt.call(s, pos++);
    a = digits(1, 2);
    if (a < 0 || charCodeAt.call(s, pos++) !== sep) return false;
    b = digits(1, 2);
    if (b < 0) return false;
    format = FMT_YMD;
  } else {
    a = digits(1, 2);
    if (a < 0) return false;
    sep = charCodeAt.call(s, pos++);
    if (sep !== 45 && sep !== 47 && sep !== 46) return false;
    b = digits(1, 2);
    if (b < 0 || charCodeAt.call(s, pos++) !== sep) return false;
    y = digits(4, 4);
    if (y < 0) return false;
    format = FMT_DMY_FAMILY;
  }
  format |= sep === 45 ? FMT_SEP_DASH : sep === 47 ? FMT_SEP_SLASH : FMT_SEP_DOT;
  // Year must not continue with more digits (e.g. 5-digit years).
  if (pos < n) {
    const c = charCodeAt.call(s, pos);
    if (c >= 48 && c <= 57) return false;
  }
  let timeMs = 0;
  let offsetMin = 0;
  let hasTime = false;
  let zoned = false;
  if (pos < n) {
    const t = charCodeAt.call(s, pos);
    if (t === 84 || t === 116) format |= FMT_TIME_T;
    else if (t === 32) format |= FMT_TIME_SPACE;
    else return false;
    pos++;
    let hh = digits(1, 2);
    if (hh < 0 || charCodeAt.call(s, pos++) !== 58) return false;
    const mi = digits(2, 2);
    if (mi < 0 || mi > 59) return false;
    let ss = 0;
    let ms = 0;
    if (pos < n && charCodeAt.call(s, pos) === 58) {
      pos++;
      ss = digits(2, 2);
      if (ss < 0 || ss > 60) return false;
      format |= FMT_SECONDS;
      const f = pos < n ? charCodeAt.call(s, pos) : 0;
      if (f === 46 || f === 44) {
        pos++;
        const start = pos;
        const frac = digits(1, 9);
        if (frac < 0) return false;
        ms = Math.floor(frac / 10 ** (pos - start - 3));
        format |= FMT_FRACTION;
      }
    }
    // Optional space, then AM/PM and/or zone.
    if (pos < n && charCodeAt.call(s, pos) === 32) pos++;
    if (pos < n) {
      const p = charCodeAt.call(s, pos) | 0x20;
      const q = pos + 1 < n ? charCodeAt.call(s, pos + 1) | 0x20 : 0;
      if ((p === 97 || p === 112) && q === 109) {
        if (hh < 1 || hh > 12) return false;
        if (p === 97 && hh === 12) hh = 0;
        else if (p === 112 && hh !== 12) hh += 12;
        format |= FMT_AMPM;
        pos += 2;
        if (pos < n && charCodeAt.call(s, pos) === 32) pos++;
      }
    }
    if (hh > 23) return false;
    if (pos < n) {
      const z = charCodeAt.call(s, pos);
      if (z === 90 || z === 122) {
        pos++;
        format |= FMT_ZONE_Z;
      } else if (z === 43 || z === 45) {
        pos++;
        const oh = digits(2, 2);
        if (oh < 0 || oh > 14) return false;
        let om = 0;
        if (pos < n && charCodeAt.call(s, pos) === 58) pos++;
        if (pos < n) {
          om = digits(2, 2);
          if (om < 0 || om > 59) return false;
        }
        offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
        format |= FMT_ZONE_OFFSET;
      } else if (n - pos === 3) {
        const name = s.slice(pos).toUpperCase();
        if (name !== 'UTC' && name !== 'GMT') return false;
        pos += 3;
        format |= FMT_ZONE_NAME;
      } else {
        return false;
      }
      zoned = true;
    }
    if (pos !== n) return false;
    hasTime = true;
    timeMs = ((hh * 60 + mi) * 60 + ss) * 1000 + ms - offsetMin * 60_000;
  }
  out.hasTime = hasTime;
  out.zoned = zoned;
  out.format = format;
  if ((format & 3) === FMT_YMD) {
    out.ymd = validDate(y, a, b);
    out.mdy = false;
    out.dmy = false;
    if (!out.ymd) return false;
    out.keyYmd = daysFromCivil(y, a, b) * DAY_MS + timeMs;
    return true;
  }
  out.ymd = false;
  out.mdy = validDate(y, a, b);
  out.dmy = validDate(y, b, a);
  if (!out.mdy && !out.dmy) return false;
  if (out.mdy) out.keyMdy = daysFromCivil(y, a, b) * DAY_MS + timeMs;
  if (out.dmy) out.keyDmy = daysFromCivil(y, b, a) * DAY_MS + timeMs;
  return true;
}

/** Two ASCII digits at `i` as a number, or -1. */
function two(s: string, i: number): number {
  const a = charCodeAt.call(s, i) - 48;
  const b = charCodeAt.call(s, i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Fixed-position fast path for the most common shapes: `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS][Z]`.
 * Returns undefined when the value has another shape (the general parser then decides).
 */
function scanIsoFast(s: string, n: number, out: TemporalScan): boolean | undefined {
  const y1 = two(s, 0);
  const y2 = two(s, 2);
  const m = two(s, 5);
  const d = two(s, 8);
  if (y1 < 0 || y2 < 0 || m < 0 || d < 0) return undefined;
  const y = y1 * 100 + y2;
  let format = FMT_YMD | FMT_SEP_DASH;
  let timeMs = 0;
  let hasTime = false;
  let zoned = false;
  if (n > 10) {
    const t = charCodeAt.call(s, 10);
    if (t === 84) format |= FMT_TIME_T;
    else if (t === 32) format |= FMT_TIME_SPACE;
    else return undefined;
    if (n !== 16 && n !== 19 && n !== 20) return undefined;
    if (charCodeAt.call(s, 13) !== 58) return undefined;
    const hh = two(s, 11);
    const mi = two(s, 14);
    let ss = 0;
    if (n >= 19) {
      if (charCodeAt.call(s, 16) !== 58) return undefined;
      ss = two(s, 17);
      format |= FMT_SECONDS;
      if (n === 20) {
        if (charCodeAt.call(s, 19) !== 90) return undefined;
        format |= FMT_ZONE_Z;
        zoned = true;
      }
    }
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60) return false;
    hasTime = true;
    timeMs = ((hh * 60 + mi) * 60 + ss) * 1000;
  }
  if (!validDate(y, m, d)) return false;
  out.hasTime = hasTime;
  out.zoned = zoned;
  out.format = format;
  out.ymd = true;
  out.mdy = false;
  out.dmy = false;
  out.keyYmd = daysFromCivil(y, m, d) * DAY_MS + timeMs;
  return true;
}

/** Human-readable name of a format code, given the column's month/day order. */
export function formatName(format: number, dayFirst: boolean): string {
  const sepCode = format & (3 << 2);
  const sep = sepCode === FMT_SEP_SLASH ? '/' : sepCode === FMT_SEP_DOT ? '.' : '-';
  let out =
    (format & 3) === FMT_YMD
      ? `YYYY${sep}MM${sep}DD`
      : dayFirst
        ? `DD${sep}MM${sep}YYYY`
        : `MM${sep}DD${sep}YYYY`;
  const timeSep = format & (3 << 4);
  if (timeSep !== 0) {
    out += timeSep === FMT_TIME_T ? 'T' : ' ';
    out += 'HH:MM';
    if (format & FMT_SECONDS) out += ':SS';
    if (format & FMT_FRACTION) out += '.F';
    if (format & FMT_AMPM) out += ' AM';
    const zone = format & (3 << 9);
    if (zone === FMT_ZONE_Z) out += 'Z';
    else if (zone === FMT_ZONE_OFFSET) out += '±HH:MM';
    else if (zone === FMT_ZONE_NAME) out += ' UTC';
  }
  return out;
}

/** ISO text of a key: `YYYY-MM-DD` for dates, `YYYY-MM-DDTHH:MM:SS.sss[Z]` for timestamps. */
export function keyToIso(key: number, kind: 'date' | 'timestamp', zoned: boolean): string {
  const d = new Date(key);
  if (Number.isNaN(d.getTime())) return String(key);
  const iso = d.toISOString();
  if (kind === 'date') return iso.slice(0, 10);
  return zoned ? iso : iso.slice(0, 23);
}
