import { wordBoolean } from './boolean-tokens.js';
import { HyperLogLog } from './hyperloglog.js';
import { MisraGries } from './misra-gries.js';
import { hash32 } from './string-hash.js';
import { NumberStats } from './number-stats.js';
import { commaValue, createNumberScan, dotValue, scaledValue, scanNumber } from './number-scan.js';
import { LooseNumbers } from './loose-numbers.js';
import type { ColumnProfile, InferredType, NumericInfo, TemporalInfo } from './profile-schema.js';
import { Reservoir } from './reservoir.js';
import { StringSet } from './string-set.js';
import { createTemporalScan, FMT_SEP_DOT, formatName, keyToIso, scanTemporal } from './temporal.js';
import { detach, truncateCopy } from './truncate.js';

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)`. Once any class in the process
 * extends String (ioredis, loaded by every BullMQ worker, does), V8 (Node 20) makes each method call
 * `s.charCodeAt(i)` several times slower; a call through a module constant keeps its full speed.
 */
const charCodeAt: (this: string, index: number) => number = String.prototype.charCodeAt;

/** Settings shared by all column profilers of one run. */
export interface ColumnProfilerConfig {
  topK: number;
  topKCapacity: number;
  sampleSize: number;
  exactDistinctLimit: number;
  /** Character budget of the exact distinct set. */
  exactDistinctChars: number;
  hllPrecision: number;
  maxValueLength: number;
  random: () => number;
  /** Prefer the COMMA number convention when a value reads both ways (`;`-delimited files). */
  preferCommaDecimal: boolean;
  dayFirst: boolean | undefined;
}

// Scratch objects shared by every profiler (all work is synchronous).
const numScan = createNumberScan();
const timeScan = createTemporalScan();

const ORDER_MDY = 1;
const ORDER_DMY = 2;

class KeyRange {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  add(k: number): void {
    if (k < this.min) this.min = k;
    if (k > this.max) this.max = k;
  }
  merge(o: KeyRange): KeyRange {
    const r = new KeyRange();
    r.min = Math.min(this.min, o.min);
    r.max = Math.max(this.max, o.max);
    return r;
  }
}

/**
 * Streaming profile of one column with bounded memory: exact distinct set up to a limit then
 * HyperLogLog, Misra–Gries top values, reservoir sample, typed min/max, Welford moments.
 *
 * Type inference keeps, per column, which types are still possible ("alive") and drops a type as
 * soon as one non-null value does not fit it; once nothing but string is left, values are no
 * longer classified at all (the common cost of a text column is then a few comparisons).
 */
export class ColumnProfiler {
  readonly index: number;
  readonly name: string;
  nullCount = 0;
  count = 0;
  private minLen = Number.POSITIVE_INFINITY;
  private maxLen = 0;
  private distinctPhase: 1 | 2 | 3 = 1;
  private exact: StringSet | null = null;
  private exactChars = 0;
  private hll: HyperLogLog | null = null;
  private readonly top: MisraGries;
  private readonly sample: Reservoir<string>;
  private lexMin: string | null = null;
  private lexMax: string | null = null;
  // First code unit of lexMin/lexMax (-1 for ''): most values are settled by comparing it alone.
  private lexMinFirst = Number.POSITIVE_INFINITY;
  private lexMaxFirst = Number.NEGATIVE_INFINITY;

  // Type inference state.
  private typesAlive = true;
  private readonly dot = new NumberStats();
  private readonly comma = new NumberStats();
  /** After the first value that is not a number, the numbers of a column numeric until then (see loose-numbers.ts). */
  private loose: LooseNumbers | null = null;
  private boolAlive = true;
  private temporalAlive = true;
  private allDates = true;
  private zoned = 0;
  private naive = 0;
  private orderMask = ORDER_MDY | ORDER_DMY;
  private dayMonthSeps = 0;
  private dayMonthSeen = false;
  private readonly ymdRange = new KeyRange();
  private readonly mdyRange = new KeyRange();
  private readonly dmyRange = new KeyRange();
  private readonly formats = new Set<number>();
  private lastFormat = -1;

  constructor(
    index: number,
    name: string,
    private readonly cfg: ColumnProfilerConfig,
  ) {
    this.index = index;
    this.name = name;
    this.top = new MisraGries(cfg.topKCapacity);
    this.sample = new Reservoir<string>(cfg.sampleSize, cfg.random);
    if (cfg.exactDistinctLimit === 0) this.overflowDistinct();
    else if (cfg.exactDistinctLimit < cfg.topKCapacity) this.enterExactSet();
  }

  /** Adds one non-null value. */
  add(v: string): void {
    this.count++;
    const len = v.length;
    if (len > this.maxLen) this.maxLen = len;
    if (len < this.minLen) this.minLen = len;
    const maxKeep = this.cfg.maxValueLength;
    const kept = len > maxKeep ? truncateCopy(v, maxKeep) : v;

    const h = hash32(kept);
    // Distinct, in three phases: (1) while the top-value summary has never evicted anything and
    // no value was truncated, its keys ARE the distinct values; (2) an exact set up to
    // exactDistinctLimit; (3) HyperLogLog seeded with that set.
    if (this.distinctPhase === 1) {
      if (kept !== v || (!this.top.exact) || this.top.wouldEvict(kept, h)) this.enterExactSet();
    }
    if (this.distinctPhase === 2) {
      const exact = this.exact!;
      if (exact.add(v, kept === v ? h : hash32(v))) {
        this.exactChars += len;
        if (exact.size > this.cfg.exactDistinctLimit || this.exactChars > this.cfg.exactDistinctChars) {
          this.overflowDistinct();
        }
      }
    } else if (this.distinctPhase === 3) {
      this.hll!.addHash(kept === v ? h : hash32(v));
    }
    // Kept strings are detached from the text they were cut from (see truncate.ts).
    this.top.add(kept, h);
    this.sample.offer(this.sample.wouldKeepNext() ? detach(kept) : kept);
    const first = len === 0 ? -1 : charCodeAt.call(v, 0);
    if (first <= this.lexMinFirst && (this.lexMin === null || v < this.lexMin)) {
      this.lexMin = detach(kept);
      this.lexMinFirst = first;
    }
    if (first >= this.lexMaxFirst && (this.lexMax === null || v > this.lexMax)) {
      this.lexMax = detach(kept);
      this.lexMaxFirst = first;
    }
    if (this.typesAlive) {
      // Padded values (` 42`, `yes `) are classified without their spaces, as loaders accept them.
      const padded = charCodeAt.call(v, 0) === 32 || charCodeAt.call(v, len - 1) === 32;
      this.classify(padded ? v.trim() : v);
    }
  }

  private enterExactSet(): void {
    const set = new StringSet(2 * this.top.size);
    let chars = 0;
    for (const { value } of this.top.top(Number.MAX_SAFE_INTEGER)) {
      set.add(value, hash32(value));
      chars += value.length;
    }
    this.exact = set;
    this.exactChars = chars;
    this.distinctPhase = 2;
    if (set.size > this.cfg.exactDistinctLimit || chars > this.cfg.exactDistinctChars) this.overflowDistinct();
  }

  private overflowDistinct(): void {
    const hll = new HyperLogLog(this.cfg.hllPrecision);
    if (this.exact !== null) for (const s of this.exact.values()) hll.add(s);
    this.hll = hll;
    this.exact = null;
    this.distinctPhase = 3;
  }

  /** Exact distinct values so far, or null once estimating. */
  private distinctExactCount(): number | null {
    if (this.distinctPhase === 1) return this.top.size;
    if (this.distinctPhase === 2) return this.exact!.size;
    return null;
  }

  private classify(v: string): void {
    const c0 = charCodeAt.call(v, 0);
    const digit = c0 >= 48 && c0 <= 57;
    let isNumber = false;
    if (this.dot.alive || this.comma.alive) {
      if ((digit || c0 === 45 || c0 === 43 || c0 === 46 || c0 === 44) && scanNumber(v, numScan)) {
        isNumber = true;
        this.addNumber(v);
      } else {
        this.startLoose(v);
        this.dot.alive = false;
        this.comma.alive = false;
      }
    } else if (this.loose !== null) {
      this.addLoose(v, (digit || c0 === 45 || c0 === 43 || c0 === 46 || c0 === 44) && scanNumber(v, numScan));
    }
    if (this.temporalAlive) {
      if (!digit || isNumber || !scanTemporal(v, timeScan)) this.temporalAlive = false;
      else this.addTemporal();
    }
    if (this.boolAlive) {
      if (v !== '0' && v !== '1' && wordBoolean(v) === undefined) this.boolAlive = false;
    }
    if (!this.dot.alive && !this.comma.alive && !this.temporalAlive && !this.boolAlive && this.loose === null) this.typesAlive = false;
  }

  /** The first value that is not a number: a column numeric until now keeps its numbers' stats. */
  private startLoose(first: string): void {
    const num = this.numberStats();
    if (num === null || num.stats.moments.count === 0) return;
    this.loose = new LooseNumbers(num.stats, num.separator, first);
  }

  /** A value of a column that stopped being all numbers; drops the numbers once it is text. */
  private addLoose(v: string, scanned: boolean): void {
    if (this.loose!.add(v, scanned, numScan, this.count)) return;
    this.loose = null;
    if (!this.temporalAlive && !this.boolAlive) this.typesAlive = false;
  }

  private addNumber(v: string): void {
    const d = numScan.dot;
    const c = numScan.comma;
    let dotX = Number.NaN;
    if (this.dot.alive) {
      if (d.valid) {
        dotX = scaledValue(numScan, d.scale);
        if (Number.isNaN(dotX)) dotX = dotValue(v, d.grouped);
        this.dot.add(dotX, d.integer && !numScan.exponent, d.intDigits, d.scale, d.grouped);
        if (numScan.exponent) this.dot.exponent = true;
      } else this.dot.alive = false;
    }
    if (this.comma.alive) {
      if (c.valid) {
        // A plain integer reads the same under both conventions.
        let x = c.integer && !c.grouped && !Number.isNaN(dotX) ? dotX : scaledValue(numScan, c.scale);
        if (Number.isNaN(x)) x = commaValue(v, c.grouped);
        this.comma.add(x, c.integer, c.intDigits, c.scale, c.grouped);
      } else this.comma.alive = false;
    }
  }

  private addTemporal(): void {
    const t = timeScan;
    if (t.hasTime) {
      this.allDates = false;
      if (t.zoned) this.zoned++;
      else this.naive++;
    }
    if (t.format !== this.lastFormat) {
      this.lastFormat = t.format;
      this.formats.add(t.format);
    }
    if (t.ymd) {
      this.ymdRange.add(t.keyYmd);
      return;
    }
    this.dayMonthSeen = true;
    this.dayMonthSeps |= 1 << ((t.format >> 2) & 3);
    this.orderMask &= (t.mdy ? ORDER_MDY : 0) | (t.dmy ? ORDER_DMY : 0);
    if (this.orderMask === 0) {
      this.temporalAlive = false;
      return;
    }
    if (t.mdy) this.mdyRange.add(t.keyMdy);
    if (t.dmy) this.dmyRange.add(t.keyDmy);
  }

  /** The number convention that fits every value, by preference; null when none does. */
  private numberStats(): { stats: NumberStats; separator: '.' | ',' } | null {
    const d = this.dot;
    const c = this.comma;
    // Plain integers read the same either way: report the usual convention.
    if (d.alive && c.alive && !d.grouped && !c.grouped && d.allInteger && c.allInteger) return { stats: d, separator: '.' };
    const order: [NumberStats, '.' | ','][] = this.cfg.preferCommaDecimal
      ? [
          [this.comma, ','],
          [this.dot, '.'],
        ]
      : [
          [this.dot, '.'],
          [this.comma, ','],
        ];
    for (const [stats, separator] of order) if (stats.alive) return { stats, separator };
    return null;
  }

  private dayFirst(): boolean {
    if (this.cfg.dayFirst !== undefined && this.orderMask === (ORDER_MDY | ORDER_DMY)) return this.cfg.dayFirst;
    if (this.orderMask === ORDER_DMY) return true;
    if (this.orderMask === ORDER_MDY) return false;
    // Ambiguous throughout: day-first only when '.' was the only separator.
    return this.dayMonthSeps === 1 << (FMT_SEP_DOT >> 2);
  }

  /** Final type of the column. */
  inferredType(): InferredType {
    if (this.count === 0) return 'string';
    const num = this.numberStats();
    if (num !== null) return num.stats.allInteger && !num.stats.exponent ? 'integer' : 'decimal';
    if (this.boolAlive) return 'boolean';
    if (this.temporalAlive) return this.allDates ? 'date' : 'timestamp';
    return 'string';
  }

  /** Builds the column profile. */
  result(): ColumnProfile {
    const type = this.inferredType();
    let min: number | string | null = this.lexMin;
    let max: number | string | null = this.lexMax;
    let mean: number | null = null;
    let stddev: number | null = null;
    let numeric: NumericInfo | null = null;
    let temporal: TemporalInfo | null = null;
    if (type === 'integer' || type === 'decimal') {
      const { stats, separator } = this.numberStats()!;
      min = stats.min;
      max = stats.max;
      mean = stats.moments.mean;
      stddev = stats.moments.stddev;
      numeric = {
        precision: Math.max(1, stats.intDigits + stats.scale),
        scale: stats.scale,
        integerDigits: stats.intDigits,
        decimalSeparator: separator,
        groupingSeparator: stats.grouped ? (separator === '.' ? ',' : '.') : null,
        exponent: stats.exponent,
      };
    } else if (type === 'date' || type === 'timestamp') {
      const dayFirst = this.dayFirst();
      const range = this.dayMonthSeen ? this.ymdRange.merge(dayFirst ? this.dmyRange : this.mdyRange) : this.ymdRange;
      const zoned = this.zoned > 0;
      min = keyToIso(range.min, type, zoned);
      max = keyToIso(range.max, type, zoned);
      temporal = {
        formats: [...this.formats].map((f) => formatName(f, dayFirst)).sort(),
        timezone: this.zoned === 0 ? 'none' : this.naive === 0 ? 'all' : 'mixed',
        dayFirst: this.dayMonthSeen ? dayFirst : null,
      };
    }
    const exactCount = this.distinctExactCount();
    const distinct =
      exactCount !== null
        ? { estimate: exactCount, exact: true }
        : { estimate: Math.min(this.count, Math.max(this.hll!.estimate(), this.top.size)), exact: false };
    return {
      index: this.index,
      name: this.name,
      inferredType: type,
      nullCount: this.nullCount,
      nonNullCount: this.count,
      distinct,
      min: this.count === 0 ? null : min,
      max: this.count === 0 ? null : max,
      topValues: this.top.top(this.cfg.topK),
      topValuesExact: this.top.exact,
      topValuesMaxError: this.top.maxUndercount,
      sampleValues: this.sample.values(),
      minLength: this.count === 0 ? 0 : this.minLen,
      maxLength: this.maxLen,
      mean,
      stddev,
      numeric,
      temporal,
      mostlyNumeric: type === 'string' && this.loose !== null ? this.loose.result() : null,
    };
  }
}
