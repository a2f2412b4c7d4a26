import type { SqlDialect } from './ddl-options.js';
import { RESERVED } from './reserved-words.js';

/** Longest identifier per dialect (PostgreSQL and Redshift count bytes, the others characters). */
const MAX_LENGTH: Record<SqlDialect, number> = { postgres: 63, snowflake: 255, bigquery: 300, redshift: 127 };
/** Dialects whose identifier limit counts UTF-8 bytes. */
const BYTE_LIMITED: ReadonlySet<SqlDialect> = new Set(['postgres', 'redshift']);

/** BigQuery reserves these column-name prefixes. */
const BIGQUERY_RESERVED_PREFIXES = ['_table_', '_file_', '_partition', '_row_timestamp', '__root__', '_colidentifier'];

function cutToLength(name: string, dialect: SqlDialect, max = MAX_LENGTH[dialect]): string {
  if (!BYTE_LIMITED.has(dialect)) return [...name].slice(0, max).join('');
  let out = '';
  let bytes = 0;
  for (const ch of name) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > max) break;
    out += ch;
    bytes += b;
  }
  return out;
}

/**
 * Turns any text into a plain snake_case identifier: accents removed (NFKD), `%`/`#`/`&` spelt
 * `pct`/`num`/`and`, camelCase split (`OrderID` → `order_id`), every run of other characters → `_`, a leading digit prefixed with `_`,
 * lower case (UPPER for Snowflake, whose unquoted identifiers are upper case). Empty results
 * become `fallback`.
 */
export function sanitizeIdentifier(raw: string, dialect: SqlDialect, fallback: string): string {
  let s = raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  s = s.replace(/%/g, ' pct ').replace(/#/g, ' num ').replace(/&/g, ' and ');
  s = s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2');
  s = s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (s === '') s = fallback;
  s = s.toLowerCase();
  if (/^[0-9]/.test(s)) s = `_${s}`;
  if (dialect === 'bigquery' && BIGQUERY_RESERVED_PREFIXES.some((p) => s.startsWith(p))) s = `c${s}`;
  s = cutToLength(s, dialect);
  return dialect === 'snowflake' ? s.toUpperCase() : s;
}

/** Quotes an identifier for the dialect, escaping the quote character. */
export function quoteIdentifier(name: string, dialect: SqlDialect): string {
  if (dialect === 'bigquery') return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
  return `"${name.replace(/"/g, '""')}"`;
}

/** True when `name` can be written unquoted and still mean exactly `name`. */
export function isPlainIdentifier(name: string, dialect: SqlDialect): boolean {
  if (RESERVED[dialect].has(name.toLowerCase())) return false;
  switch (dialect) {
    case 'postgres':
    case 'redshift':
      return /^[a-z_][a-z0-9_$]*$/.test(name) && Buffer.byteLength(name) <= MAX_LENGTH[dialect];
    case 'snowflake':
      return /^[A-Z_][A-Z0-9_$]*$/.test(name) && name.length <= MAX_LENGTH.snowflake;
    case 'bigquery':
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name.length <= MAX_LENGTH.bigquery;
  }
}

/** Writes `name` unquoted when possible, quoted otherwise. */
export function renderIdentifier(name: string, dialect: SqlDialect): string {
  return isPlainIdentifier(name, dialect) ? name : quoteIdentifier(name, dialect);
}

/**
 * Final SQL names for a list of source names: sanitised or preserved, then made unique
 * (case-insensitively, as every dialect here compare unquoted names that way), then rendered.
 */
export function columnIdentifiers(
  names: readonly string[],
  dialect: SqlDialect,
  mode: 'sanitize' | 'preserve',
): { name: string; sql: string }[] {
  const used = new Set<string>();
  return names.map((raw, i) => {
    let base = mode === 'sanitize' ? sanitizeIdentifier(raw, dialect, `column_${i + 1}`) : cutToLength(raw, dialect);
    if (base === '') base = `column_${i + 1}`;
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) {
      const suffix = `_${k}`;
      name = cutToLength(base, dialect, MAX_LENGTH[dialect] - suffix.length) + suffix;
    }
    used.add(name.toLowerCase());
    return { name, sql: renderIdentifier(name, dialect) };
  });
}

/** A single (table or schema) name, sanitised or preserved and rendered. */
export function objectIdentifier(raw: string, dialect: SqlDialect, mode: 'sanitize' | 'preserve'): string {
  const name = mode === 'sanitize' ? sanitizeIdentifier(raw, dialect, 'unnamed') : cutToLength(raw, dialect);
  return renderIdentifier(name, dialect);
}
