import { z } from 'zod';

/** SQL dialects generateDdl can write. */
export const SqlDialect = z.enum(['postgres', 'snowflake', 'bigquery', 'redshift']);
export type SqlDialect = z.infer<typeof SqlDialect>;

const name = z
  .string()
  .min(1)
  .max(1024)
  .refine((s) => !/[\u0000\r\n]/.test(s), 'must not contain NUL or line breaks');

/** Options of generateDdl. */
export const DdlOptions = z
  .object({
    dialect: SqlDialect,
    /** Table name (sanitised or quoted like column names). */
    table: name,
    /** Schema (Snowflake: optionally `database.schema`; BigQuery: dataset, optionally `project.dataset`). Default: none. */
    schema: name.optional(),
    /**
     * `sanitize` (default): names become safe unquoted identifiers — accents removed, camelCase and
     * punctuation turned into snake_case, a leading digit prefixed with `_`, lower case (UPPER for
     * Snowflake), cut to the dialect's length limit, de-duplicated — and reserved words are quoted.
     * `preserve`: names are kept exactly and quoted whenever they are not plain identifiers.
     */
    identifiers: z.enum(['sanitize', 'preserve']).default('sanitize'),
    /**
     * String columns: `unbounded` (default: TEXT / VARCHAR / STRING) or `observed`
     * (VARCHAR(n) / STRING(n) with n = the longest value seen).
     */
    stringLength: z.enum(['unbounded', 'observed']).default('unbounded'),
    /** Add NOT NULL to columns without nulls (only when the profile has rows). Default: true. */
    notNull: z.boolean().default(true),
    /** Emit `IF NOT EXISTS`. Default: false. */
    ifNotExists: z.boolean().default(false),
    /** Add a comment after each column with its source name and evidence. Default: true. */
    columnComments: z.boolean().default(true),
  })
  .strict();
export type DdlOptions = z.input<typeof DdlOptions>;
export type ResolvedDdlOptions = z.output<typeof DdlOptions>;
