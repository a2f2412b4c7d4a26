import { z } from 'zod';
import { CsvDialect, CsvReadOptions, ReadIssues } from './read-options.js';

/** Column types, narrowest first: the profiler picks the first one that fits every non-null value. */
export const InferredType = z.enum(['integer', 'decimal', 'boolean', 'date', 'timestamp', 'string']);
export type InferredType = z.infer<typeof InferredType>;

/** Options of profileCsv: how to read (CsvReadOptions) plus what to keep per column. */
export const ProfileOptions = CsvReadOptions.extend({
  /** Most frequent values reported per column. Default: 10. */
  topK: z.number().int().min(0).max(1000).default(10),
  /** Counters of the Misra–Gries summary behind topValues (≥ topK; rounded up to a power of two). Default: max(64, 8 × topK) → 128 for topK 10. */
  topKCapacity: z.number().int().min(1).max(100_000).optional(),
  /** Sample values kept per column (reservoir sample of non-null values). Default: 10. */
  sampleSize: z.number().int().min(0).max(1000).default(10),
  /**
   * Distinct values are counted exactly up to this many per column (and up to 256 Ki characters of
   * them); beyond, a HyperLogLog sketch estimates. Default: 2,048.
   */
  exactDistinctLimit: z.number().int().min(0).max(1_000_000).default(2048),
  /** HyperLogLog precision (index bits): error ≈ 1.04/√2^p. Default: 14 (≈ 0.8 %, 16 KiB per column). */
  hllPrecision: z.number().int().min(10).max(16).default(14),
  /** Values kept in the profile (top values, samples, string min/max) are cut to this length. Default: 256. */
  maxValueLength: z.number().int().min(8).max(100_000).default(256),
  /** Seed of the reservoir sampler, for reproducible samples. Default: 42. */
  seed: z.number().int().default(42),
  /**
   * How to read ambiguous day/month-first dates (`03/04/2024`). Default: decided per column —
   * a value like `31/01/2024` settles it; if every value is ambiguous, month-first (US) unless
   * the column only uses `.` as separator (European), then day-first.
   */
  dayFirst: z.boolean().optional(),
}).strict();
export type ProfileOptions = z.input<typeof ProfileOptions>;
export type ResolvedProfileOptions = z.output<typeof ProfileOptions>;

/** Number layout of an integer/decimal column (what a loader must know to parse it). */
export const NumericInfo = z
  .object({
    /** Total significant digits needed: integerDigits + scale (at least 1). */
    precision: z.number().int(),
    /** Most digits seen after the decimal separator. */
    scale: z.number().int(),
    /** Most digits seen before the decimal separator. */
    integerDigits: z.number().int(),
    decimalSeparator: z.enum(['.', ',']),
    /** Thousands separator seen in some values, or null. */
    groupingSeparator: z.enum(['.', ',']).nullable(),
    /** Some values use scientific notation (`1.5e3`). */
    exponent: z.boolean(),
  })
  .strict();
export type NumericInfo = z.infer<typeof NumericInfo>;

/** Date/timestamp layout of a temporal column. */
export const TemporalInfo = z
  .object({
    /** Formats seen, e.g. `YYYY-MM-DD`, `MM/DD/YYYY`, `YYYY-MM-DDTHH:MM:SSZ`. */
    formats: z.array(z.string()),
    /** Whether time values carry a zone: all of them, none, or some. */
    timezone: z.enum(['all', 'none', 'mixed']),
    /** How day/month-first values were read; null when there were none. */
    dayFirst: z.boolean().nullable(),
  })
  .strict();
export type TemporalInfo = z.infer<typeof TemporalInfo>;

/**
 * A text column whose values are mostly numbers: the numbers among them. Kept while the other
 * values stay few (see column-profiler.ts), so a column of words costs nothing.
 */
export const MostlyNumeric = z
  .object({
    /** Values that are numbers (under the column's decimal separator). */
    numbers: z.number().int(),
    /** Values that are not. */
    others: z.number().int(),
    /** The first of them (cut to 40 characters). */
    firstOther: z.string(),
    min: z.number(),
    max: z.number(),
    mean: z.number().nullable(),
    decimalSeparator: z.enum(['.', ',']),
  })
  .strict();
export type MostlyNumeric = z.infer<typeof MostlyNumeric>;

export const TopValue = z.object({ value: z.string(), count: z.number().int() }).strict();
export type TopValue = z.infer<typeof TopValue>;

/** Everything learnt about one column. */
export const ColumnProfile = z
  .object({
    index: z.number().int(),
    name: z.string(),
    inferredType: InferredType,
    /** Null cells (null spellings, and cells missing from short ragged rows). */
    nullCount: z.number().int(),
    nonNullCount: z.number().int(),
    distinct: z.object({ estimate: z.number().int(), exact: z.boolean() }).strict(),
    /** Typed minimum: number for numeric columns, ISO text for dates/timestamps, lexical text otherwise. */
    min: z.union([z.number(), z.string()]).nullable(),
    max: z.union([z.number(), z.string()]).nullable(),
    /** Most frequent values, count descending. */
    topValues: z.array(TopValue),
    /** True when topValues counts are exact; otherwise each may be low by at most topValuesMaxError. */
    topValuesExact: z.boolean(),
    topValuesMaxError: z.number().int(),
    sampleValues: z.array(z.string()),
    /** Length in UTF-16 code units (≥ the number of characters). */
    minLength: z.number().int(),
    maxLength: z.number().int(),
    /** Numeric columns only. */
    mean: z.number().nullable(),
    /** Sample standard deviation (n − 1), numeric columns with ≥ 2 values only. */
    stddev: z.number().nullable(),
    numeric: NumericInfo.nullable(),
    temporal: TemporalInfo.nullable(),
    /** Text columns that are mostly numbers: the numbers' range. Default null (also for profiles made before it). */
    mostlyNumeric: MostlyNumeric.nullable().default(null),
  })
  .strict();
export type ColumnProfile = z.infer<typeof ColumnProfile>;

/** Result of profileCsv. */
export const CsvProfile = z
  .object({
    /** Data records (header excluded, blank lines excluded). */
    rowCount: z.number().int(),
    /** Analysed columns (see issues.ignoredColumns for any beyond maxColumns). */
    columnCount: z.number().int(),
    /** Raw bytes read from the source. */
    bytesRead: z.number().int(),
    /** False when a parse error stopped reading early (see issues.parseError). */
    complete: z.boolean(),
    dialect: CsvDialect,
    nullValues: z.array(z.string()),
    columns: z.array(ColumnProfile),
    issues: ReadIssues,
  })
  .strict();
export type CsvProfile = z.infer<typeof CsvProfile>;
