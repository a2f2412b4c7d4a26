import { MOSTLY_TYPED, PLAIN_NUMBER } from './quality/derive-file-rules.js';
import { plural } from '../../plural.js';
import { listNames } from '../../overview-question.js';
import type { ColumnProfile, CsvProfile } from './profile-schema.js';
import { KEY_NAME } from './quality/derive-rules.js';

/**
 * Questions a profile answers about its columns: "which column could be the primary key" (the
 * columns unique and never empty) and "what's the biggest amount" / "average price" (a column's
 * range and mean). Pure; the patterns are cheap.
 */

/** Asks for a key: "primary key", "unique column", "identifier", "which column identifies a row", "which column is the key". */
const KEY =
  /\b(?:primary|candidate|natural|unique)\s+(?:keys?|columns?|ids?|identifiers?)\b|\bidentif(?:y|ies)\s+(?:a|each|every)\s+(?:row|record)\b|\bkey columns?\b|\b(?:which|what)\s+(?:column|field)s?\s+(?:is|are|could be|would be|can be|should be|makes?|to use as)\s+(?:the\s+|a\s+)?(?:\w+\s+)?keys?\b|\bwhat(?:'s| is)\s+the\s+key\b/i;
/** Asks for a column's range or centre. */
const STATS = /\b(?:biggest|largest|highest|greatest|max(?:imum)?|smallest|lowest|least|min(?:imum)?|average|avg|mean|range|earliest|latest|oldest|newest|first date|last date)\b/i;

export function isKeyQuestion(question: string): boolean {
  return question.length <= 500 && KEY.test(question);
}

export function isStatsQuestion(question: string): boolean {
  return question.length <= 500 && STATS.test(question);
}

/** A number as people write it: at most 2 decimals for non-integers. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

/** The columns that can be a key: integer or text, unique over the rows (exactly counted) and never empty; else the nearest one. */
export function describeKeys(profile: CsvProfile): string {
  const rows = profile.rowCount;
  // keys are integers or text (distinct amounts or timestamps are a coincidence), key-like names first
  const keyTyped = profile.columns.filter((c) => c.inferredType === 'integer' || c.inferredType === 'string');
  const exactUnique = (c: ColumnProfile) => c.distinct.exact && c.distinct.estimate === rows && c.nullCount === 0;
  const keys = keyTyped.filter(exactUnique).sort((a, b) => Number(KEY_NAME.test(b.name.trim())) - Number(KEY_NAME.test(a.name.trim())) || a.index - b.index);
  if (rows < 2) return `With ${plural(rows, 'row')} any column is unique; there is too little data to tell a key.`;
  if (keys.length) {
    return `${listNames(keys.map((c) => c.name))} ${keys.length === 1 ? 'is' : 'are each'} unique and never empty over the ${plural(rows, 'row')}: ${keys.length === 1 ? 'a candidate key' : 'candidate keys'}.`;
  }
  const near = keyTyped
    .filter((c) => c.distinct.exact && c.nonNullCount > 0)
    .sort((a, b) => b.distinct.estimate - a.distinct.estimate || a.index - b.index)[0];
  const estimated = keyTyped.some((c) => !c.distinct.exact);
  const none = `No single column is unique and never empty over the ${plural(rows, 'row')}${estimated ? ' (distinct counts of the larger columns are estimates)' : ''}`;
  if (!near) return `${none}.`;
  const repeats = near.topValues.filter((t) => t.count > 1).slice(0, 3).map((t) => `"${t.value}" ×${t.count}`);
  const nulls = near.nullCount ? `, ${plural(near.nullCount, 'empty value')}` : '';
  return `${none}. Nearest: ${near.name}, ${near.distinct.estimate} distinct values in ${plural(rows, 'row')}${nulls}${repeats.length ? ` (repeated: ${repeats.join(', ')})` : ''}.`;
}

/** The column a question names (case- and separator-insensitive: "order date" finds order_date), longest name first. */
export function namedColumn(question: string, profile: CsvProfile): ColumnProfile | null {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_.-]+/g, ' ').trim();
  const q = ` ${norm(question).replace(/[^a-z0-9 ]+/g, ' ')} `;
  const byLength = [...profile.columns].sort((a, b) => b.name.length - a.name.length);
  return byLength.find((c) => norm(c.name) !== '' && q.includes(` ${norm(c.name)} `)) ?? byLength.find((c) => norm(c.name) !== '' && q.includes(` ${norm(c.name)}s `)) ?? null;
}

/** One column's range (and mean, for numbers) in words; null when the question names no column. */
export function describeColumnStats(question: string, profile: CsvProfile): string | null {
  const c = namedColumn(question, profile);
  if (!c) return null;
  const empty = c.nullCount ? `; ${plural(c.nullCount, 'row')} ${c.nullCount === 1 ? 'has' : 'have'} none` : '';
  if (c.min === null || c.max === null) return `${c.name} has no values to compare${empty}.`;
  if (typeof c.min === 'number' && typeof c.max === 'number') {
    const mean = c.mean === null ? '' : `, mean ${num(c.mean)}`;
    return `${c.name} goes from ${num(c.min)} to ${num(c.max)}${mean} over ${plural(c.nonNullCount, 'value')}${empty}.`;
  }
  const how = c.inferredType === 'date' || c.inferredType === 'timestamp' ? 'goes from' : 'goes (in text order) from';
  const text = `${c.name} ${how} ${c.min} to ${c.max} over ${plural(c.nonNullCount, 'value')}${empty}.`;
  // numbers with a few values that are not: the numbers' range, and where to find the others
  const sample = c.sampleValues.map((v) => v.trim()).filter((v) => v !== '');
  const m = c.mostlyNumeric;
  if (m) {
    const mean = m.mean === null ? '' : `, mean ${num(m.mean)}`;
    return `${c.name} is mostly numbers, but not only (e.g. ${JSON.stringify(m.firstOther)}): ${m.numbers} of its ${plural(c.nonNullCount, 'value')} are numbers, from ${num(m.min)} to ${num(m.max)}${mean}; the other ${m.others} ${m.others === 1 ? 'is' : 'are'} not, so the profile keeps the column as text${empty}. "check the quality of this file" lists every value that is not a number, with its line.`;
  }
  const numeric = sample.filter((v) => PLAIN_NUMBER.test(v)).length;
  if (c.inferredType === 'string' && sample.length >= 5 && numeric >= sample.length * MOSTLY_TYPED) {
    const odd = sample.find((v) => !PLAIN_NUMBER.test(v));
    return `${c.name} is mostly numbers, but not only${odd ? ` (e.g. ${JSON.stringify(odd)})` : ''}, so the profile keeps it as text and has no numeric range (in text order it goes from ${c.min} to ${c.max} over ${plural(c.nonNullCount, 'value')}${empty}). "check the quality of this file" lists every value that is not a number, with its line.`;
  }
  return text;
}

