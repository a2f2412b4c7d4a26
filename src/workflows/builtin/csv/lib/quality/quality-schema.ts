import { z } from 'zod';
import { CsvDialect, CsvReadOptions, ReadIssues } from '../read-options.js';
import { userRegexProblem } from './user-regex.js';

const column = z.string().min(1).max(1024);
const bound = z.union([z.number(), z.string().min(1).max(64)]);

/**
 * Data-quality rules. Column names are matched exactly, then case-insensitively (ignoring
 * surrounding spaces) when that is unambiguous. A rule naming a column the file does not have is
 * reported as a failed rule with `error: "unknown_column"` — it never throws.
 * Null cells (see the null spellings of the read options) are skipped by range, regex and
 * allowedValues: use notNull to forbid them.
 */
export const QualityRules = z
  .object({
    /** Columns that must exist. */
    requiredColumns: z.array(column).max(10_000).default([]),
    /** Columns that must have no null cell (a cell missing from a short row counts as null). */
    notNull: z.array(column).max(10_000).default([]),
    /**
     * Columns (or column lists, for composite keys) whose values must not repeat. Rows with a null
     * in the key are skipped (SQL semantics). Exact: keys are kept as 64-bit hashes (collision odds
     * ≈ n²/2⁶⁵), at most `uniqueMaxKeys` per rule.
     */
    unique: z.array(z.union([column, z.array(column).min(1).max(32)])).max(1000).default([]),
    /**
     * Inclusive bounds. Numbers (or numeric strings) compare numerically; dates/timestamps
     * (`2024-01-31`, `2024-01-31T10:00:00Z`, or any format the profiler recognises, read with
     * `dayFirst`) compare chronologically — a date-only `max` includes the whole day —; other
     * strings compare lexically. Values that do not parse as the bound's kind fail.
     */
    range: z
      .array(
        z
          .object({
            column,
            min: bound.optional(),
            max: bound.optional(),
            /** Decimal separator of the values. Default: `.`. */
            decimalSeparator: z.enum(['.', ',']).default('.'),
            /** Read ambiguous `03/04/2024` values day-first. Default: false (month-first). */
            dayFirst: z.boolean().default(false),
          })
          .strict()
          .refine((r) => r.min !== undefined || r.max !== undefined, 'range needs min or max'),
      )
      .max(1000)
      .default([]),
    /**
     * Values must match the pattern, run on the linear-time RE2 engine (JavaScript-like syntax
     * without backreferences or lookaround; flags among i, m, s, u). A pattern RE2 cannot compile
     * fails validation, so a run with it is refused before anything is enqueued.
     */
    regex: z
      .array(
        z
          .object({
            column,
            pattern: z.string().min(1).max(1000),
            flags: z.string().regex(/^[imsu]*$/, 'flags may only contain i, m, s, u').default(''),
          })
          .strict()
          .superRefine((r, ctx) => {
            const problem = userRegexProblem(r.pattern, r.flags);
            if (problem !== null) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
          }),
      )
      .max(1000)
      .default([]),
    /** Values must be one of `values`. */
    allowedValues: z
      .array(
        z
          .object({
            column,
            values: z.array(z.string()).min(1).max(100_000),
            /** Compare case-insensitively. Default: false. */
            ignoreCase: z.boolean().default(false),
          })
          .strict(),
      )
      .max(1000)
      .default([]),
    /** Bounds on the number of data rows. */
    rowCount: z
      .object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type QualityRules = z.input<typeof QualityRules>;
export type ResolvedQualityRules = z.output<typeof QualityRules>;

/** Options of checkQuality: how to read, plus limits of the checks. */
export const QualityOptions = CsvReadOptions.extend({
  /** Failing rows kept per rule. Default: 10. */
  maxFailingSamples: z.number().int().min(0).max(10_000).default(10),
  /** Keys remembered per unique rule (8–16 bytes each). Default: 4,000,000 (≤ 64 MiB). */
  uniqueMaxKeys: z.number().int().min(1).max(100_000_000).default(4_000_000),
  /** Values longer than this fail a regex rule without being tested (guards against slow patterns). Default: 1,000. */
  regexMaxInputLength: z.number().int().min(1).max(1_000_000).default(1000),
  /** Values shown per failing row are cut to this length. Default: 200. */
  maxSampleValueLength: z.number().int().min(8).max(100_000).default(200),
}).strict();
export type QualityOptions = z.input<typeof QualityOptions>;
export type ResolvedQualityOptions = z.output<typeof QualityOptions>;

export const RuleKind = z.enum(['column', 'notNull', 'unique', 'range', 'regex', 'allowedValues', 'rowCount']);
export type RuleKind = z.infer<typeof RuleKind>;

/** One failing row: where it is and the values of the rule's columns. */
export const FailingSample = z
  .object({
    row: z.number().int(),
    line: z.number().int().nullable(),
    values: z.record(z.string(), z.string().nullable()),
    reason: z.string(),
  })
  .strict();
export type FailingSample = z.infer<typeof FailingSample>;

export const RuleResult = z
  .object({
    /** Stable id, e.g. `notNull:email`, `unique:order_id+line`, `rowCount`. */
    id: z.string(),
    kind: RuleKind,
    columns: z.array(z.string()),
    passed: z.boolean(),
    /** Rows (or, for rowCount/column, 1 when failed) that broke the rule. */
    failingCount: z.number().int(),
    /** Non-null values (rows, for notNull/unique) the rule looked at. */
    checkedCount: z.number().int(),
    samples: z.array(FailingSample),
    /** The rule's parameters as checked (range bounds, allowed values, pattern, row-count bounds); {} for rules without any. */
    params: z.record(z.string(), z.unknown()),
    message: z.string(),
    /** Set when the rule could not run: `unknown_column`, or `incomplete` when unique stopped remembering keys. */
    error: z.enum(['unknown_column', 'incomplete']).nullable(),
  })
  .strict();
export type RuleResult = z.infer<typeof RuleResult>;

/** Result of checkQuality. */
export const QualityReport = z
  .object({
    /** Every rule passed and the whole file was read. */
    passed: z.boolean(),
    rowCount: z.number().int(),
    bytesRead: z.number().int(),
    complete: z.boolean(),
    columns: z.array(z.string()),
    dialect: CsvDialect,
    rules: z.array(RuleResult),
    summary: z
      .object({ total: z.number().int(), passed: z.number().int(), failed: z.number().int(), text: z.string() })
      .strict(),
    issues: ReadIssues,
  })
  .strict();
export type QualityReport = z.infer<typeof QualityReport>;
