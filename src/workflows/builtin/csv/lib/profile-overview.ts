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

/** Asks which columns have missing values. */
const NULLS = /\b(?:nulls?|missing|empty|blank|nullable)\b/i;

/** True when the question asks about missing values (cheap: a pattern). */
export function isNullsQuestion(question: string): boolean {
  return question.length <= 500 && NULLS.test(question);
}

/** Which columns have nulls, most first, with their counts and share of the rows. */
export function describeNulls(profile: CsvProfile): string {
  const withNulls = profile.columns.filter((c) => c.nullCount > 0).sort((a, b) => b.nullCount - a.nullCount || a.index - b.index);
  if (withNulls.length === 0) return `No column has nulls (${plural(profile.rowCount, 'row')}, ${plural(profile.columnCount, 'column')}).`;
  const pct = (n: number) => (profile.rowCount ? ` (${Math.round((n / profile.rowCount) * 1000) / 10}%)` : '');
  const cols = withNulls.map((c) => `${c.name} ${c.nullCount}${pct(c.nullCount)}`);
  return `${plural(withNulls.length, 'column')} of ${profile.columnCount} ${withNulls.length === 1 ? 'has' : 'have'} nulls: ${listNames(cols)}.`;
}
