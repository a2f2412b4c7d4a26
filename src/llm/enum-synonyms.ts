import { escapeRegExp } from './text.js';

/**
 * Groups of names people use for the same thing. When a tool's enum contains any member of a
 * group, every other member mentioned in a message maps to that enum value
 * (`pg` → `postgres` for a dialect enum that says `postgres`).
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['postgres', 'postgresql', 'pg', 'psql', 'pgsql'],
  ['mysql', 'my sql'],
  ['sqlserver', 'sql server', 'mssql', 'ms sql', 'tsql', 't-sql', 'sql_server'],
  ['bigquery', 'big query', 'bq'],
  ['snowflake', 'snowsql'],
  ['redshift', 'aws redshift'],
  ['oracle', 'plsql', 'pl/sql'],
  ['sqlite', 'sqlite3'],
  ['duckdb', 'duck db'],
  ['databricks', 'spark sql', 'sparksql'],
  ['yaml', 'yml'],
  ['csv', 'comma separated', 'comma-separated'],
  ['tsv', 'tab separated', 'tab-separated'],
  ['json', 'javascript object notation'],
  ['jsonl', 'ndjson', 'json lines'],
  ['markdown', 'md'],
];

/** Letters and digits only, lowercase: `sql_server`, `SQL Server` and `sqlserver` compare equal. */
export function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** A regex matching `surface` in free text, with flexible separators between its words. */
export function surfaceRegExp(surface: string): RegExp {
  const parts = surface
    .toLowerCase()
    .split(/[^a-z0-9/]+/)
    .filter(Boolean)
    .map(escapeRegExp);
  return new RegExp(`(?<![A-Za-z0-9])${parts.join('[\\s_-]*')}(?![A-Za-z0-9])`, 'gi');
}

/** Every surface form that stands for `value` (the value itself first). */
export function surfacesFor(value: string): string[] {
  const key = squash(value);
  const out = [value];
  const words = value.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  if (words !== value) out.push(words);
  for (const group of SYNONYM_GROUPS) {
    if (group.some((g) => squash(g) === key)) out.push(...group);
  }
  return [...new Set(out)];
}
