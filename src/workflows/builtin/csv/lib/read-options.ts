import { z } from 'zod';
import { DEFAULT_NULL_VALUES } from './null-values.js';

/** Text encodings a CSV source can be read in. */
export const CsvEncoding = z.enum(['utf8', 'latin1', 'windows-1252', 'utf16le', 'utf16be']);
export type CsvEncoding = z.infer<typeof CsvEncoding>;

const oneChar = z.string().length(1);

/**
 * How to read a CSV source. Every option left out is detected from the first `sampleBytes` of the
 * input (delimiter, quote, header, encoding from a byte-order mark) or takes the stated default.
 */
export const CsvReadOptions = z
  .object({
    /** Field delimiter (1–4 characters). Default: detected among `,` `;` tab `|`, else `,`. */
    delimiter: z
      .string()
      .min(1)
      .max(4)
      .refine((d) => !/[\r\n"]/.test(d), 'delimiter must not contain quotes or line breaks')
      .optional(),
    /** Quote character, or null to disable quoting. Default: detected (`"` unless only `'` is used). */
    quote: oneChar.nullable().optional(),
    /**
     * Escape character inside quoted fields, or null. Default: the quote character (doubled quotes),
     * or `\` when the sample has backslash-escaped quotes and no doubled ones.
     */
    escape: oneChar.nullable().optional(),
    /** Whether the first record is a header. Default: detected (see dialect-detect.ts). */
    header: z.boolean().optional(),
    /**
     * Encoding of the bytes. Default: `utf8`, or UTF-16 when a byte-order mark says so or when
     * every other byte of the sample is zero.
     * `latin1` is decoded as windows-1252, as browsers do (a superset for printable characters).
     */
    encoding: CsvEncoding.optional(),
    /** Cell spellings that mean null. Default: see DEFAULT_NULL_VALUES (``, NULL, null, NA, N/A, \N, …). */
    nullValues: z.array(z.string().max(64)).max(1000).default([...DEFAULT_NULL_VALUES]),
    /** Whether a cell made only of spaces/tabs is null. Default: true. */
    whitespaceIsNull: z.boolean().default(true),
    /** Trim spaces around unquoted fields before anything else looks at them. Default: false. */
    trim: z.boolean().default(false),
    /**
     * Lines to skip before the first record (a title or preamble above the table). A first line
     * `sep=<char>` (written by spreadsheet software) is always skipped and sets the delimiter.
     * Default: 0.
     */
    skipLines: z.number().int().min(0).max(1_000_000).default(0),
    /** Bytes read ahead to detect the dialect. Default: 65,536. */
    sampleBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(65_536),
    /**
     * Largest record, in characters, before reading stops with a parse error (guards memory against
     * an unclosed quote swallowing the rest of the file). Default: 8,388,608.
     */
    maxRecordSize: z.number().int().min(1024).max(1 << 30).default(8 * 1024 * 1024),
    /** Columns beyond this many are counted but not analysed. Default: 1,000. */
    maxColumns: z.number().int().min(1).max(100_000).default(1000),
    /** Samples kept per issue kind (ragged rows, encoding errors). Default: 20. */
    maxIssueSamples: z.number().int().min(0).max(10_000).default(20),
  })
  .strict();
export type CsvReadOptions = z.input<typeof CsvReadOptions>;
export type ResolvedCsvReadOptions = z.output<typeof CsvReadOptions>;

/** Line-ending style seen in the sample. */
export const LineEnding = z.enum(['lf', 'crlf', 'cr', 'mixed', 'none']);
export type LineEnding = z.infer<typeof LineEnding>;

/** The dialect a source was read with, and which parts were detected rather than given. */
export const CsvDialect = z
  .object({
    delimiter: z.string(),
    quote: z.string().nullable(),
    escape: z.string().nullable(),
    header: z.boolean(),
    encoding: CsvEncoding,
    /** A byte-order mark was present (and skipped). */
    bom: z.boolean(),
    lineEnding: LineEnding,
    detected: z.object({ delimiter: z.boolean(), quote: z.boolean(), header: z.boolean() }).strict(),
  })
  .strict();
export type CsvDialect = z.infer<typeof CsvDialect>;

/**
 * Location of a record: `row` is the 1-based data row (header excluded; 0 means the header itself),
 * `line` the 1-based physical line it starts on (null when unknown).
 */
export const RowRef = z.object({ row: z.number().int(), line: z.number().int().nullable() }).strict();
export type RowRef = z.infer<typeof RowRef>;

/** Problems met while reading, reported instead of thrown. */
export const ReadIssues = z
  .object({
    /** Records whose field count differs from the column count. */
    raggedRows: z
      .object({
        count: z.number().int(),
        samples: z.array(RowRef.extend({ fieldCount: z.number().int(), expected: z.number().int() }).strict()),
      })
      .strict(),
    /**
     * Invalid byte sequences for the encoding. Counted as U+FFFD replacement characters in decoded
     * cells once the raw byte check has seen invalid UTF-8 (see csv-reader.ts).
     */
    encodingErrors: z
      .object({
        count: z.number().int(),
        rowCount: z.number().int(),
        samples: z.array(RowRef.extend({ column: z.string() }).strict()),
        /** An encoding that would likely decode the file, when errors were seen. */
        suggestedEncoding: CsvEncoding.nullable(),
      })
      .strict(),
    /** Empty lines skipped. */
    blankLines: z.number().int(),
    /** Header names that were empty or duplicated and got renamed: original → used. */
    renamedColumns: z.array(z.object({ index: z.number().int(), original: z.string(), name: z.string() }).strict()),
    /** Columns beyond `maxColumns` that were not analysed. */
    ignoredColumns: z.number().int(),
    /** A fatal parse error (unclosed quote, oversized record): reading stopped there. */
    parseError: z.object({ code: z.string(), message: z.string(), line: z.number().int().nullable() }).strict().nullable(),
  })
  .strict();
export type ReadIssues = z.infer<typeof ReadIssues>;
