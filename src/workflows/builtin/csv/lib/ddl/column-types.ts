import type { ColumnProfile } from '../profile-schema.js';
import type { SqlDialect } from './ddl-options.js';

/** A column's SQL type plus notes worth a comment. */
export interface SqlType {
  type: string;
  notes: string[];
}

const PG_NUMERIC_MAX = 1000;
/** Redshift: DECIMAL precision limit, and the longest VARCHAR (bytes). */
const RS_DECIMAL_MAX = 38;
const RS_VARCHAR_MAX = 65_535;

function stringType(col: ColumnProfile, dialect: SqlDialect, observed: boolean): string {
  const n = Math.max(1, col.maxLength);
  switch (dialect) {
    case 'postgres':
      return observed ? `VARCHAR(${Math.min(n, 10_485_760)})` : 'TEXT';
    case 'snowflake':
      return observed ? `VARCHAR(${Math.min(n, 16_777_216)})` : 'VARCHAR';
    case 'bigquery':
      return observed ? `STRING(${n})` : 'STRING';
    case 'redshift':
      // VARCHAR counts bytes and TEXT would be VARCHAR(256): unbounded is the maximum, observed
      // leaves room for 4-byte UTF-8 characters
      return observed ? `VARCHAR(${Math.min(n * 4, RS_VARCHAR_MAX)})` : `VARCHAR(${RS_VARCHAR_MAX})`;
  }
}

function integerType(digits: number, dialect: SqlDialect, notes: string[]): string {
  switch (dialect) {
    case 'postgres':
      if (digits <= 18) return 'BIGINT';
      if (digits <= PG_NUMERIC_MAX) return `NUMERIC(${digits},0)`;
      notes.push(`${digits}-digit integers exceed NUMERIC precision`);
      return 'TEXT';
    case 'snowflake':
      if (digits <= 38) return 'NUMBER(38,0)';
      notes.push(`${digits}-digit integers exceed NUMBER(38,0)`);
      return 'VARCHAR';
    case 'bigquery':
      if (digits <= 18) return 'INT64';
      if (digits <= 29) return 'NUMERIC';
      if (digits <= 38) return 'BIGNUMERIC';
      notes.push(`${digits}-digit integers exceed BIGNUMERIC`);
      return 'STRING';
    case 'redshift':
      if (digits <= 18) return 'BIGINT';
      if (digits <= RS_DECIMAL_MAX) return `DECIMAL(${digits},0)`;
      notes.push(`${digits}-digit integers exceed DECIMAL(38,0)`);
      return `VARCHAR(${RS_VARCHAR_MAX})`;
  }
}

function decimalType(col: ColumnProfile, dialect: SqlDialect, notes: string[]): string {
  const num = col.numeric;
  const intDigits = num?.integerDigits ?? 0;
  const scale = num?.scale ?? 0;
  if (num?.exponent) {
    notes.push('scientific notation seen: floating point');
    return dialect === 'postgres' || dialect === 'redshift' ? 'DOUBLE PRECISION' : dialect === 'snowflake' ? 'FLOAT' : 'FLOAT64';
  }
  const precision = Math.max(1, intDigits + scale);
  switch (dialect) {
    case 'postgres':
      if (precision <= PG_NUMERIC_MAX) return `NUMERIC(${precision},${scale})`;
      notes.push(`precision ${precision} exceeds NUMERIC(1000)`);
      return 'NUMERIC';
    case 'snowflake': {
      if (precision <= 38) return `NUMBER(${precision},${scale})`;
      if (intDigits <= 38) {
        const s = 38 - intDigits;
        notes.push(`scale reduced from ${scale} to ${s} to fit NUMBER(38)`);
        return `NUMBER(38,${s})`;
      }
      notes.push(`precision ${precision} exceeds NUMBER(38)`);
      return 'FLOAT';
    }
    case 'bigquery':
      if (intDigits <= 29 && scale <= 9) return 'NUMERIC';
      if (intDigits <= 38 && scale <= 38) return 'BIGNUMERIC';
      notes.push(`precision ${precision} exceeds BIGNUMERIC`);
      return 'FLOAT64';
    case 'redshift': {
      if (precision <= RS_DECIMAL_MAX) return `DECIMAL(${precision},${scale})`;
      if (intDigits < RS_DECIMAL_MAX) {
        const s = RS_DECIMAL_MAX - intDigits;
        notes.push(`scale reduced from ${scale} to ${s} to fit DECIMAL(38)`);
        return `DECIMAL(${RS_DECIMAL_MAX},${s})`;
      }
      notes.push(`precision ${precision} exceeds DECIMAL(38)`);
      return 'DOUBLE PRECISION';
    }
  }
}

/**
 * SQL type of a profiled column:
 *
 * | inferred  | postgres                 | snowflake             | bigquery                  | redshift |
 * |-----------|--------------------------|-----------------------|---------------------------|----------|
 * | integer   | BIGINT (≤ 18 digits), else NUMERIC(p,0) | NUMBER(38,0) | INT64 (≤ 18 digits), NUMERIC, BIGNUMERIC | BIGINT (≤ 18 digits), else DECIMAL(p,0) (≤ 38) |
 * | decimal   | NUMERIC(p,s)             | NUMBER(p,s)           | NUMERIC (≤ 29 integer digits, scale ≤ 9), else BIGNUMERIC | DECIMAL(p,s) (p ≤ 38) |
 * | (with exponent) | DOUBLE PRECISION   | FLOAT                 | FLOAT64                   | DOUBLE PRECISION |
 * | boolean   | BOOLEAN                  | BOOLEAN               | BOOL                      | BOOLEAN |
 * | date      | DATE                     | DATE                  | DATE                      | DATE |
 * | timestamp, no zone | TIMESTAMP       | TIMESTAMP_NTZ         | DATETIME                  | TIMESTAMP |
 * | timestamp, zone    | TIMESTAMPTZ     | TIMESTAMP_TZ          | TIMESTAMP                 | TIMESTAMPTZ |
 * | string    | TEXT / VARCHAR(n)        | VARCHAR / VARCHAR(n)  | STRING / STRING(n)        | VARCHAR(65535) / VARCHAR(4n) (bytes) |
 *
 * p and s come from the digits observed (integerDigits + scale, scale). Values written with a
 * comma decimal separator, thousands separators or non-ISO dates load only after conversion; a
 * note says so.
 */
export function sqlType(col: ColumnProfile, dialect: SqlDialect, observedStrings: boolean): SqlType {
  const notes: string[] = [];
  let type: string;
  switch (col.inferredType) {
    case 'integer':
      type = integerType(Math.max(1, col.numeric?.integerDigits ?? 1), dialect, notes);
      break;
    case 'decimal':
      type = decimalType(col, dialect, notes);
      break;
    case 'boolean':
      type = dialect === 'bigquery' ? 'BOOL' : 'BOOLEAN';
      break;
    case 'date':
      type = 'DATE';
      break;
    case 'timestamp': {
      const zoned = col.temporal?.timezone !== 'none';
      if (col.temporal?.timezone === 'mixed') notes.push('some timestamps lack a zone');
      type =
        dialect === 'postgres' || dialect === 'redshift'
          ? zoned
            ? 'TIMESTAMPTZ'
            : 'TIMESTAMP'
          : dialect === 'snowflake'
            ? zoned
              ? 'TIMESTAMP_TZ'
              : 'TIMESTAMP_NTZ'
            : zoned
              ? 'TIMESTAMP'
              : 'DATETIME';
      break;
    }
    case 'string':
      type = stringType(col, dialect, observedStrings);
      break;
  }
  if (col.numeric) {
    if (col.numeric.decimalSeparator === ',') notes.push("decimal separator ','");
    if (col.numeric.groupingSeparator !== null) notes.push(`thousands separator '${col.numeric.groupingSeparator}'`);
  }
  if (col.temporal) {
    const nonIso = col.temporal.formats.filter((f) => !f.startsWith('YYYY-MM-DD'));
    if (nonIso.length > 0) notes.push(`format ${nonIso.join(', ')}`);
  }
  if (col.nonNullCount === 0) notes.push('all values null');
  return { type, notes };
}
