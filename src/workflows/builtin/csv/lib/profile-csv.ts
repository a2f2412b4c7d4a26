import { ColumnProfiler, type ColumnProfilerConfig } from './column-profiler.js';
import { readCsv } from './csv-reader.js';
import type { CsvSource, ReadHooks } from './csv-source.js';
import { mulberry32 } from './prng.js';
import { CsvProfile, ProfileOptions } from './profile-schema.js';
import { parseOrThrow } from './validate.js';

/**
 * Profiles a CSV stream in one pass with memory bounded by the options (never by the input size):
 * dialect (delimiter, quote, header, encoding, line endings), row/column counts, bytes read,
 * reading issues, and per column the inferred type, nulls, distinct estimate, typed min/max,
 * top values, a sample, lengths and numeric moments.
 *
 * Cells missing from short ragged rows count as nulls; extra cells of long rows are ignored (both
 * are reported in `issues.raggedRows`). Invalid options throw ValidationError; problems in the data
 * never throw — they are reported in `issues`.
 *
 * Type rules (first that fits every non-null value wins): integer (`-12`, `1,234`; no leading
 * zeros), decimal (`3.14`, `1.5e3`, or `3,14` / `1.234,5` when the whole column reads that way),
 * boolean (true/false, yes/no, t/f, y/n, possibly with 0/1 — but a 0/1-only column is integer),
 * date, timestamp (dates mixed with timestamps make a timestamp), string. See number-scan.ts,
 * boolean-tokens.ts and temporal.ts for the accepted spellings.
 */
export async function profileCsv(source: CsvSource, opts: ProfileOptions = {}, hooks: ReadHooks = {}): Promise<CsvProfile> {
  const o = parseOrThrow(ProfileOptions, opts, 'profile options');
  let profilers: ColumnProfiler[] = [];
  let isNull: (v: string) => boolean = () => false;
  const result = await readCsv(source, o, {
    start(info) {
      isNull = info.isNull;
      const cfg: ColumnProfilerConfig = {
        topK: o.topK,
        topKCapacity: Math.max(o.topKCapacity ?? Math.max(64, 8 * o.topK), o.topK),
        sampleSize: o.sampleSize,
        exactDistinctLimit: o.exactDistinctLimit,
        exactDistinctChars: 256 * 1024,
        hllPrecision: o.hllPrecision,
        maxValueLength: o.maxValueLength,
        random: mulberry32(o.seed),
        preferCommaDecimal: info.dialect.delimiter === ';',
        dayFirst: o.dayFirst,
      };
      profilers = info.columns.map((name, i) => new ColumnProfiler(i, name, cfg));
    },
    record(cells) {
      const n = profilers.length;
      for (let j = 0; j < n; j++) {
        const v = cells[j];
        const p = profilers[j]!;
        if (v === undefined || isNull(v)) p.nullCount++;
        else p.add(v);
      }
    },
  }, hooks);
  return {
    rowCount: result.rowCount,
    columnCount: result.columns.length,
    bytesRead: result.bytesRead,
    complete: result.complete,
    dialect: result.dialect,
    nullValues: o.nullValues,
    columns: profilers.map((p) => p.result()),
    issues: result.issues,
  };
}
