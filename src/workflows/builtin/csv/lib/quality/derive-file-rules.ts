import { CsvProfile, type ColumnProfile } from '../profile-schema.js';
import { parseOrThrow } from '../validate.js';
import type { ResolvedQualityRules } from './quality-schema.js';
import { deriveRules, KEY_NAME, type DeriveRulesOptions } from './derive-rules.js';

/**
 * Rules that look for problems in the profiled file itself ("is this data clean?"), where
 * `deriveRules` makes a baseline that passes on it and catches drift in later files. On top of
 * that baseline (without its row-count bounds, which say nothing about one file):
 * - notNull for columns that are almost always filled (≥ `MOSTLY_FILLED`) but not always: the gaps;
 * - unique for key-like columns (`order_id`, `CustomerId`…) that are almost unique (≥ `MOSTLY_UNIQUE`
 *   of their values distinct) but not quite: the repeats;
 * - a type check (a range rule open at one end, which fails every value that is not of its kind)
 *   for text columns whose values are almost all ISO dates or plain numbers (see mostlyTyped): the
 *   odd ones (`2024-13-45`, `31/12/2024` among ISO dates);
 * - for categorical columns spelling one value in several ways (`shipped`, `SHIPPED`, `Shipped `,
 *   `U.S.` beside `US`), allowed values of the most frequent spelling of each: the other spellings;
 * - for e-mail columns (by name, or almost all values): an address pattern (the values that are no
 *   address) and unique when at least `MOSTLY_FILLED` of them are distinct (the same address twice).
 * Every rule passes on clean data, so a failure is something to look at.
 */

/** A column this share filled (and not wholly) is expected to be complete. */
export const MOSTLY_FILLED = 0.9;
/** A key-like column this share distinct (and not wholly) is expected to be unique. */
export const MOSTLY_UNIQUE = 0.95;
/** Share of a text column's sampled values that must be of one kind for the rest to count as odd. */
export const MOSTLY_TYPED = 0.8;
/** Fewest non-null values before a column's shape is read as an expectation. */
const MIN_VALUES = 20;

/** A column that holds e-mail addresses, by its name. */
const EMAIL_NAME = /e[-_\s]?mail/i;
/** An e-mail address, loosely: something@domain.tld, no spaces. */
export const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$';
const EMAIL_RE = new RegExp(EMAIL_PATTERN);

/** True when a text column holds e-mail addresses: by its name, or almost all of its sampled values. */
function isEmailColumn(c: ColumnProfile): boolean {
  if (c.inferredType !== 'string') return false;
  const sample = c.sampleValues.map((v) => v.trim()).filter((v) => v !== '');
  const mostly = sample.length >= 5 && sample.filter((v) => EMAIL_RE.test(v)).length >= sample.length * MOSTLY_TYPED;
  return mostly || (EMAIL_NAME.test(c.name) && sample.some((v) => EMAIL_RE.test(v)));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** A plain number as a CSV writes it (`12`, `-3.5`, `.5`). */
export const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * `date` or `number` when almost every value of a text column has that form: at least
 * `MOSTLY_TYPED` of the sampled values (a uniform sample of its rows), and no frequent value of
 * another form (a top value of another form in 1 − MOSTLY_TYPED of the rows is a second kind of
 * value, such as `unknown`, not an odd one).
 */
function mostlyTyped(c: ColumnProfile): 'date' | 'number' | null {
  if (c.inferredType !== 'string' || c.nonNullCount < MIN_VALUES) return null;
  const sample = c.sampleValues.map((v) => v.trim());
  if (sample.length < 5) return null;
  for (const [kind, re] of [['date', ISO_DATE], ['number', PLAIN_NUMBER]] as const) {
    if (sample.filter((v) => re.test(v)).length < sample.length * MOSTLY_TYPED) continue;
    const otherRows = c.topValues.filter((t) => !re.test(t.value.trim())).reduce((n, t) => n + t.count, 0);
    if (otherRows < c.nonNullCount * (1 - MOSTLY_TYPED)) return kind;
  }
  return null;
}

/** Spelling variants of one categorical value (case, surrounding spaces), most frequent first; [] when there are none. */
function spellingGroups(c: ColumnProfile): string[][] {
  if (c.inferredType !== 'string' || !c.distinct.exact || !c.topValuesExact || c.topValues.length !== c.distinct.estimate || c.topValues.length > 50) return [];
  const groups = new Map<string, string[]>();
  for (const t of c.topValues) {
    // case, spaces and punctuation aside: `US`, `us`, `U.S.` and `u s` are one value
    const key = t.value.toLowerCase().replace(/[\s.,_-]+/g, '');
    groups.set(key, [...(groups.get(key) ?? []), t.value]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

export function deriveFileRules(profileInput: CsvProfile, opts: DeriveRulesOptions = {}): ResolvedQualityRules {
  const profile = parseOrThrow(CsvProfile, profileInput, 'profile');
  const { rowCount: _feedOnly, ...base } = deriveRules(profile, opts);
  const rules: ResolvedQualityRules = { ...base, notNull: [...base.notNull], unique: [...base.unique], range: [...base.range], regex: [...base.regex], allowedValues: [...base.allowedValues] };
  const rows = profile.rowCount;
  for (const c of profile.columns) {
    if (c.nonNullCount < MIN_VALUES) continue;
    if (c.nullCount > 0 && c.nonNullCount >= rows * MOSTLY_FILLED) rules.notNull.push(c.name);
    const email = isEmailColumn(c);
    // e-mail addresses name one person each, as keys name one row: a repeat is worth a look
    const keyLike = (KEY_NAME.test(c.name.trim()) && (c.inferredType === 'integer' || c.inferredType === 'string')) || email;
    if (email) rules.regex = [...rules.regex.filter((r) => r.column !== c.name), { column: c.name, pattern: EMAIL_PATTERN, flags: '' }];
    const unique = email ? MOSTLY_FILLED : MOSTLY_UNIQUE;
    if (keyLike && c.distinct.exact && c.distinct.estimate < c.nonNullCount && c.distinct.estimate >= c.nonNullCount * unique) rules.unique.push(c.name);
    const typed = mostlyTyped(c);
    if (typed === 'date') rules.range.push({ column: c.name, min: '0001-01-01', decimalSeparator: '.', dayFirst: false });
    if (typed === 'number') rules.range.push({ column: c.name, min: -Number.MAX_VALUE, decimalSeparator: '.', dayFirst: false });
    const groups = spellingGroups(c);
    if (groups.length) {
      // the most frequent spelling of each value (top values come most frequent first)
      const other = new Set(groups.flatMap((g) => g.slice(1)));
      const values = c.topValues.map((t) => t.value).filter((v) => !other.has(v)).sort();
      rules.allowedValues = [...rules.allowedValues.filter((a) => a.column !== c.name), { column: c.name, values, ignoreCase: false }];
    }
  }
  return rules;
}
