import { z } from 'zod';
import { CsvProfile, type ColumnProfile } from '../profile-schema.js';
import { parseOrThrow } from '../validate.js';
import type { ResolvedQualityRules } from './quality-schema.js';

/** Longer values are free text rather than codes: no allowedValues rule for them. */
const MAX_ENUM_VALUE_LENGTH = 64;

/** Options of deriveRules. */
export const DeriveRulesOptions = z
  .object({
    /** Row count bounds are rows × (1 ± this). Default: 0.2 (±20 %). */
    rowCountTolerance: z.number().min(0).max(100).default(0.2),
    /**
     * Numeric ranges of measure columns are widened by this fraction of (max − min) on each side,
     * so the next delivery of the feed passes (a lower bound never drops below 0 when every value
     * was ≥ 0). Default: 0.25.
     */
    rangeMargin: z.number().min(0).max(100).default(0.25),
    /** allowedValues is derived for string/boolean columns with at most this many distinct values. Default: 20. */
    maxAllowedValues: z.number().int().min(0).max(10_000).default(20),
    /** allowedValues needs each distinct value seen at least this many times on average (a categorical column, not a sample of free values). Default: 5. */
    minRowsPerValue: z.number().min(1).max(1_000_000).default(5),
    /** Derive unique rules. Default: true. */
    unique: z.boolean().default(true),
  })
  .strict();
export type DeriveRulesOptions = z.input<typeof DeriveRulesOptions>;

/**
 * A column is derived unique when it is an integer or string column without nulls and either its
 * distinct count is exact and equals
 * the row count, or (large files) the HyperLogLog estimate is within 3 standard errors of the row
 * count and no top value was seen twice. The second case is probabilistic: check it with
 * checkQuality before relying on it.
 */
function looksUnique(c: ColumnProfile, rows: number): boolean {
  // Keys are integers or strings; distinct amounts or timestamps are usually a coincidence.
  if (c.inferredType !== 'integer' && c.inferredType !== 'string') return false;
  if (rows < 2 || c.nullCount > 0) return false;
  if (c.distinct.exact) return c.distinct.estimate === rows;
  const maxTop = c.topValues[0]?.count ?? 0;
  return c.distinct.estimate >= rows * (1 - 3 * 0.0082) && maxTop <= 1;
}

/** Names that usually denote a key or a running number (`id`, `order_id`, `OrderId`, `seq`, `invoice_no`). */
export const KEY_NAME = /(^|[_\s.-])(id|seq|sequence|serial|number|num|no|key)$|[a-z]Id$|^id[_\s.-]/i;

/**
 * Columns whose next delivery is expected to hold larger values than this one: dates and
 * timestamps, and integer keys (a key-like name, or unique over a file of 20+ rows). They get a
 * lower bound only — an upper bound at this file's maximum would fail every later file.
 */
function growsWithTheFeed(c: ColumnProfile, rows: number, unique: boolean): boolean {
  if (c.inferredType === 'date' || c.inferredType === 'timestamp') return true;
  if (c.inferredType !== 'integer') return false;
  return KEY_NAME.test(c.name.trim()) || (unique && rows >= 20);
}

/**
 * Derives a rule set from a profile, meant to pass on the profiled data and catch drift in later
 * files of the same feed:
 * - requiredColumns: every column;
 * - notNull: columns without nulls (in a non-empty file);
 * - unique: see looksUnique;
 * - range: measure columns [min, max] widened by rangeMargin; columns that grow with the feed
 *   (dates, timestamps, integer keys — see growsWithTheFeed) a lower bound only;
 * - allowedValues: low-cardinality categorical string/boolean columns: distinct values all known
 *   exactly (≤ maxAllowedValues, every value listed in topValues), short (≤ 64 characters), each
 *   seen minRowsPerValue times on average, and not a unique column;
 * - rowCount: rows × (1 ± rowCountTolerance).
 */
export function deriveRules(profileInput: CsvProfile, opts: DeriveRulesOptions = {}): ResolvedQualityRules {
  const profile = parseOrThrow(CsvProfile, profileInput, 'profile');
  const o = parseOrThrow(DeriveRulesOptions, opts, 'derive options');
  const rows = profile.rowCount;
  const rules: ResolvedQualityRules = {
    requiredColumns: profile.columns.map((c) => c.name),
    notNull: [],
    unique: [],
    range: [],
    regex: [],
    allowedValues: [],
  };
  for (const c of profile.columns) {
    if (rows > 0 && c.nonNullCount > 0 && c.nullCount === 0) rules.notNull.push(c.name);
    const unique = looksUnique(c, rows);
    if (o.unique && unique) rules.unique.push(c.name);
    const grows = growsWithTheFeed(c, rows, unique);
    if ((c.inferredType === 'integer' || c.inferredType === 'decimal') && typeof c.min === 'number' && typeof c.max === 'number') {
      const integer = c.inferredType === 'integer';
      const sep = c.numeric?.decimalSeparator ?? '.';
      if (grows) {
        rules.range.push({ column: c.name, min: integer ? Math.floor(c.min) : c.min, decimalSeparator: sep, dayFirst: false });
      } else {
        const pad = (c.max - c.min) * o.rangeMargin;
        let min = integer ? Math.floor(c.min - pad) : c.min - pad;
        if (c.min >= 0) min = Math.max(0, min);
        rules.range.push({ column: c.name, min, max: integer ? Math.ceil(c.max + pad) : c.max + pad, decimalSeparator: sep, dayFirst: false });
      }
    } else if ((c.inferredType === 'date' || c.inferredType === 'timestamp') && typeof c.min === 'string') {
      rules.range.push({ column: c.name, min: c.min, decimalSeparator: '.', dayFirst: c.temporal?.dayFirst ?? false });
    }
    const enumerable =
      (c.inferredType === 'string' || c.inferredType === 'boolean') &&
      c.distinct.exact &&
      c.distinct.estimate > 0 &&
      c.distinct.estimate <= o.maxAllowedValues &&
      c.topValuesExact &&
      c.topValues.length === c.distinct.estimate &&
      c.maxLength <= MAX_ENUM_VALUE_LENGTH &&
      !unique &&
      c.nonNullCount >= o.minRowsPerValue * c.distinct.estimate;
    if (enumerable) rules.allowedValues.push({ column: c.name, values: c.topValues.map((t) => t.value).sort(), ignoreCase: false });
  }
  if (rows > 0 || profile.complete) {
    rules.rowCount = { min: Math.max(0, Math.floor(rows * (1 - o.rowCountTolerance))), max: Math.ceil(rows * (1 + o.rowCountTolerance)) };
  }
  return rules;
}
