import { plural } from '../../plural.js';
import { listNames } from '../../overview-question.js';
import type { CsvProfile } from './profile-schema.js';

/** What a profiled CSV holds, in plain words: its size, then each column with its type and nulls. */
export function describeProfile(profile: CsvProfile): string {
  const cols = profile.columns.map((c) => {
    const nulls = c.nullCount ? `, ${plural(c.nullCount, 'null')}` : '';
    return `${c.name} (${c.inferredType}${nulls})`;
  });
  const partial = profile.complete ? '' : ' (reading stopped early at a parse error, so these are the rows before it)';
  return `This file has ${plural(profile.rowCount, 'row')} and ${plural(profile.columnCount, 'column')}${partial}: ${listNames(cols)}.`;
}
