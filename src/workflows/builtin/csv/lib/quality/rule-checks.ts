import type { LineOf } from '../csv-reader.js';
import { HashSet64 } from '../hash-set64.js';
import { commaValue, createNumberScan, dotValue, scanNumber } from '../number-scan.js';
import { hash32, hash32b } from '../string-hash.js';
import { createTemporalScan, scanTemporal } from '../temporal.js';
import { truncateCopy } from '../truncate.js';
import type { FailingSample, RuleKind, RuleResult } from './quality-schema.js';
import type { UserRegex } from './user-regex.js';

/** Context every check shares. */
export interface CheckContext {
  isNull: (v: string) => boolean;
  maxSamples: number;
  maxValueLength: number;
  /** Analysed column names, by index. */
  columns: readonly string[];
}

/** A rule being evaluated over the stream. */
export abstract class RuleCheck {
  failing = 0;
  checked = 0;
  readonly samples: FailingSample[] = [];
  error: RuleResult['error'] = null;
  note = '';
  /** The rule's parameters, reported with its result (passing or not). */
  params: Record<string, unknown> = {};

  constructor(
    readonly id: string,
    readonly kind: RuleKind,
    readonly columns: string[],
    protected readonly indexes: number[],
    protected readonly ctx: CheckContext,
  ) {}

  abstract check(cells: string[], row: number, line: LineOf): void;

  /** Records a failing row. */
  protected fail(cells: string[], row: number, line: LineOf, reason: string): void {
    this.failing++;
    if (this.samples.length >= this.ctx.maxSamples) return;
    const values: Record<string, string | null> = {};
    for (let k = 0; k < this.indexes.length; k++) {
      const v = cells[this.indexes[k]!];
      values[this.columns[k]!] = v === undefined || this.ctx.isNull(v) ? null : truncateCopy(v, this.ctx.maxValueLength);
    }
    this.samples.push({ row, line: line(), values, reason });
  }

  /** Cell of the rule's first column, or null when missing/null. */
  protected cell(cells: string[]): string | null {
    const v = cells[this.indexes[0]!];
    return v === undefined || this.ctx.isNull(v) ? null : v;
  }

  describe(): string {
    const what = paramText(this.params);
    const verdict = this.failing === 0 ? 'ok' : `${this.failing} failing row${this.failing === 1 ? '' : 's'}`;
    return what ? `${verdict} (${what})` : verdict;
  }

  result(): RuleResult {
    const passed = this.error === null && this.failing === 0;
    return {
      id: this.id,
      kind: this.kind,
      columns: this.columns,
      passed: this.error === 'incomplete' ? this.failing === 0 : passed,
      failingCount: this.failing,
      checkedCount: this.checked,
      samples: this.samples,
      params: this.params,
      message: this.note === '' ? this.describe() : `${this.describe()}; ${this.note}`,
      error: this.error,
    };
  }
}

/** A rule's parameters in words: `within [1, 500]`, `at least 2024-01-01`, `one of a, b`, `matches /x/`. */
export function paramText(p: Record<string, unknown>): string {
  if ('values' in p && Array.isArray(p.values)) {
    const shown = p.values.slice(0, 10).join(', ');
    return `one of ${shown}${p.values.length > 10 ? `, … (${p.values.length} values)` : ''}`;
  }
  if ('pattern' in p) return `matches /${String(p.pattern)}/${String(p.flags ?? '')}`;
  const has = (k: string) => p[k] !== undefined && p[k] !== null;
  if (has('min') && has('max')) return `within [${String(p.min)}, ${String(p.max)}]`;
  if (has('min')) return `at least ${String(p.min)}`;
  if (has('max')) return `at most ${String(p.max)}`;
  return '';
}

export class NotNullCheck extends RuleCheck {
  check(cells: string[], row: number, line: LineOf): void {
    this.checked++;
    if (this.cell(cells) === null) this.fail(cells, row, line, 'null');
  }
}

/**
 * Uniqueness over one or more columns. Keys are remembered as 64-bit hashes in a bounded set
 * (HashSet64); once full, later keys are still checked against the remembered ones but no longer
 * stored, and the rule reports `error: "incomplete"`.
 */
export class UniqueCheck extends RuleCheck {
  private readonly seen: HashSet64;

  constructor(id: string, columns: string[], indexes: number[], ctx: CheckContext, maxKeys: number) {
    super(id, 'unique', columns, indexes, ctx);
    this.seen = new HashSet64(maxKeys);
  }

  check(cells: string[], row: number, line: LineOf): void {
    let key: string;
    if (this.indexes.length === 1) {
      const v = this.cell(cells);
      if (v === null) return;
      key = v;
    } else {
      key = '';
      for (const i of this.indexes) {
        const v = cells[i];
        if (v === undefined || this.ctx.isNull(v)) return;
        // Length-prefixed parts: ("a,b","c") and ("a","b,c") give different keys.
        key += `${v.length}:${v}`;
      }
    }
    this.checked++;
    if (this.seen.add(hash32(key), hash32b(key))) this.fail(cells, row, line, 'duplicate');
    if (this.seen.saturated && this.error === null) {
      this.error = 'incomplete';
      this.note = `stopped remembering keys after ${this.seen.maxKeys}; later duplicates among unremembered keys are not detected`;
    }
  }
}

const DAY_MS = 86_400_000;

/** A parsed range bound. */
type Bound =
  | { kind: 'number'; value: number }
  | { kind: 'time'; key: number; dateOnly: boolean }
  | { kind: 'text'; value: string };

const numScratch = createNumberScan();
const timeScratch = createTemporalScan();

function parseBound(b: number | string, dayFirst: boolean): Bound {
  if (typeof b === 'number') return { kind: 'number', value: b };
  if (scanNumber(b, numScratch) && numScratch.dot.valid) return { kind: 'number', value: dotValue(b, numScratch.dot.grouped) };
  if (scanTemporal(b, timeScratch)) {
    const t = timeScratch;
    const key = t.ymd ? t.keyYmd : dayFirst ? (t.dmy ? t.keyDmy : null) : t.mdy ? t.keyMdy : null;
    if (key !== null) return { kind: 'time', key, dateOnly: !t.hasTime };
  }
  return { kind: 'text', value: b };
}

/** Inclusive range over numbers, dates/timestamps or text, by the kind of the bounds. */
export class RangeCheck extends RuleCheck {
  private readonly min: Bound | null;
  private readonly max: Bound | null;

  constructor(
    id: string,
    columns: string[],
    indexes: number[],
    ctx: CheckContext,
    min: number | string | undefined,
    max: number | string | undefined,
    private readonly decimalComma: boolean,
    private readonly dayFirst: boolean,
  ) {
    super(id, 'range', columns, indexes, ctx);
    this.min = min === undefined ? null : parseBound(min, dayFirst);
    this.max = max === undefined ? null : parseBound(max, dayFirst);
  }

  private numberOf(v: string): number | null {
    if (!scanNumber(v, numScratch)) return null;
    const r = this.decimalComma ? numScratch.comma : numScratch.dot;
    if (!r.valid) return null;
    return this.decimalComma ? commaValue(v, r.grouped) : dotValue(v, r.grouped);
  }

  private timeOf(v: string): number | null {
    if (!scanTemporal(v, timeScratch)) return null;
    const t = timeScratch;
    if (t.ymd) return t.keyYmd;
    if (this.dayFirst) return t.dmy ? t.keyDmy : null;
    return t.mdy ? t.keyMdy : null;
  }

  private outside(v: string, b: Bound, isMax: boolean): string | null {
    if (b.kind === 'number') {
      const x = this.numberOf(v);
      if (x === null) return 'not a number';
      return isMax ? (x > b.value ? `above ${b.value}` : null) : x < b.value ? `below ${b.value}` : null;
    }
    if (b.kind === 'time') {
      const k = this.timeOf(v);
      if (k === null) return 'not a date';
      const limit = isMax && b.dateOnly ? b.key + DAY_MS - 1 : b.key;
      return isMax ? (k > limit ? 'after max' : null) : k < limit ? 'before min' : null;
    }
    return isMax ? (v > b.value ? 'after max' : null) : v < b.value ? 'before min' : null;
  }

  check(cells: string[], row: number, line: LineOf): void {
    const v = this.cell(cells);
    if (v === null) return;
    this.checked++;
    const reason = (this.min && this.outside(v, this.min, false)) || (this.max && this.outside(v, this.max, true));
    if (reason) this.fail(cells, row, line, reason);
  }
}

/** Pattern match, with a cap on the length of tested values. */
export class RegexCheck extends RuleCheck {
  constructor(
    id: string,
    columns: string[],
    indexes: number[],
    ctx: CheckContext,
    private readonly re: UserRegex,
    private readonly maxInput: number,
  ) {
    super(id, 'regex', columns, indexes, ctx);
  }

  check(cells: string[], row: number, line: LineOf): void {
    const v = this.cell(cells);
    if (v === null) return;
    this.checked++;
    if (v.length > this.maxInput) this.fail(cells, row, line, `longer than ${this.maxInput} characters, not tested`);
    else if (!this.re.test(v)) this.fail(cells, row, line, 'no match');
  }
}

/** Membership in a fixed set of values. */
export class AllowedValuesCheck extends RuleCheck {
  private readonly allowed: Set<string>;

  constructor(
    id: string,
    columns: string[],
    indexes: number[],
    ctx: CheckContext,
    values: string[],
    private readonly ignoreCase: boolean,
  ) {
    super(id, 'allowedValues', columns, indexes, ctx);
    this.allowed = new Set(ignoreCase ? values.map((v) => v.toLowerCase()) : values);
  }

  check(cells: string[], row: number, line: LineOf): void {
    const v = this.cell(cells);
    if (v === null) return;
    this.checked++;
    if (!this.allowed.has(this.ignoreCase ? v.toLowerCase() : v)) this.fail(cells, row, line, 'not an allowed value');
  }
}
