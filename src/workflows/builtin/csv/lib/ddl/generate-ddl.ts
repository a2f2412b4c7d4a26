import { CsvProfile } from '../profile-schema.js';
import { parseOrThrow } from '../validate.js';
import { ValidationError } from '../../../../../errors/index.js';
import { sqlType } from './column-types.js';
import { DdlOptions } from './ddl-options.js';
import { columnIdentifiers, objectIdentifier, quoteIdentifier } from './identifiers.js';

/**
 * Makes text safe inside a `--` comment: one line (every control character and Unicode line or
 * paragraph separator becomes a space, so nothing after it can leave the comment), no `*\/`,
 * bounded. Everything in a comment that came from the profile goes through here.
 */
export function commentText(s: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const one = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\*\//g, '* /');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** A `--` comment line whose text is made safe by `commentText`. */
const comment = (text: string, max = 400) => `-- ${commentText(text, max)}`;

function qualifiedTable(table: string, schema: string | undefined, dialect: DdlOptions['dialect'], mode: 'sanitize' | 'preserve'): string {
  const t = objectIdentifier(table, dialect, mode);
  if (schema === undefined) return t;
  if (dialect === 'bigquery') {
    // `project.dataset`: project ids keep their hyphens, so they are quoted as written.
    const parts = schema.split('.');
    const dataset = parts.pop()!;
    const project = parts.join('.');
    const ds = objectIdentifier(dataset, dialect, mode);
    return project === '' ? `${ds}.${t}` : `${quoteIdentifier(project, dialect)}.${ds}.${t}`;
  }
  if (dialect === 'snowflake') {
    // `database.schema`
    return `${schema
      .split('.')
      .map((part) => objectIdentifier(part, dialect, mode))
      .join('.')}.${t}`;
  }
  return `${objectIdentifier(schema, dialect, mode)}.${t}`;
}

/**
 * CREATE TABLE for a profiled CSV in the chosen dialect: per-column types from the inferred types
 * (see column-types.ts), NOT NULL where a column had no nulls in a non-empty file, identifiers
 * sanitised or quoted per dialect (see identifiers.ts), and a comment header describing the source.
 *
 * Throws ValidationError for invalid options, an invalid profile, or a profile without columns.
 */
export function generateDdl(profileInput: CsvProfile, opts: DdlOptions): string {
  const o = parseOrThrow(DdlOptions, opts, 'DDL options');
  const profile = parseOrThrow(CsvProfile, profileInput, 'profile');
  if (profile.columns.length === 0) throw new ValidationError('the profile has no columns to create a table from');
  const d = o.dialect;
  const ids = columnIdentifiers(
    profile.columns.map((c) => c.name),
    d,
    o.identifiers,
  );
  const types = profile.columns.map((c) => sqlType(c, d, o.stringLength === 'observed'));
  const lines: string[] = [];
  const dia = profile.dialect;
  const delimiter = dia.delimiter === '\t' ? 'tab' : `'${commentText(dia.delimiter, 8)}'`;
  lines.push(comment(`${d} DDL generated from a CSV profile; types are inferred from the data, review before use.`));
  lines.push(
    comment(
      `source: ${profile.rowCount} rows, ${profile.columnCount} columns, ${profile.bytesRead} bytes; ` +
        `delimiter ${delimiter}, header ${dia.header ? 'yes' : 'no'}, encoding ${commentText(dia.encoding, 40)}` +
        (profile.complete ? '' : '; WARNING: the profile stopped early (parse error)'),
    ),
  );
  if (profile.issues.raggedRows.count > 0) lines.push(comment(`note: ${profile.issues.raggedRows.count} rows had a different field count`));
  if (profile.issues.encodingErrors.count > 0) lines.push(comment(`note: ${profile.issues.encodingErrors.count} invalid byte sequences for ${commentText(dia.encoding, 40)}`));
  const table = qualifiedTable(o.table, o.schema, d, o.identifiers);
  lines.push(`CREATE TABLE ${o.ifNotExists ? 'IF NOT EXISTS ' : ''}${table} (`);
  const width = Math.max(...ids.map((i) => i.sql.length));
  profile.columns.forEach((col, i) => {
    const id = ids[i]!;
    const { type, notes } = types[i]!;
    const notNull = o.notNull && profile.rowCount > 0 && col.nullCount === 0 && col.nonNullCount > 0;
    const last = i === profile.columns.length - 1;
    let line = `  ${id.sql.padEnd(width)} ${type}${notNull ? ' NOT NULL' : ''}${last ? '' : ','}`;
    if (o.columnComments) {
      const parts: string[] = [];
      // Case-only changes (Snowflake upper-cases) are not worth a note.
      if (id.name.toLowerCase() !== col.name.toLowerCase()) parts.push(`source "${commentText(col.name, 80)}"`);
      parts.push(`${col.inferredType}, ${col.nullCount} null${col.nullCount === 1 ? '' : 's'}, ${col.distinct.exact ? '' : '~'}${col.distinct.estimate} distinct`);
      parts.push(...notes);
      line += ` -- ${commentText(parts.join('; '), 200)}`;
    }
    lines.push(line);
  });
  lines.push(');');
  return `${lines.join('\n')}\n`;
}
