import { EMAIL_PATTERN } from './derive-file-rules.js';
import { plural } from '../../../plural.js';
import type { QualityReport, RuleResult } from './quality-schema.js';

/** Asks whether the data is clean: duplicates, missing values, bad values, "clean", "valid". */
const QUALITY = /\b(?:clean|dirty|duplicates?|duplicated|dupes?|missing|bad values?|outliers?|quality|consistent|inconsistent)\b/i;

export function isQualityQuestion(question: string): boolean {
  return question.length <= 500 && QUALITY.test(question);
}

/** Failed rules described one by one in an answer; the rest are counted. */
const MAX_DESCRIBED = 8;

/** `at line 54` (or the data row when the line is unknown). */
function where(s: { row: number; line: number | null }): string {
  return s.line === null ? `row ${s.row}` : `line ${s.line}`;
}

/** The first failing value of a rule, quoted, with where it is. */
function firstValue(r: RuleResult): string {
  const s = r.samples[0];
  if (!s) return '';
  const v = Object.values(s.values)[0];
  return v === null || v === undefined ? ` (first at ${where(s)})` : ` (e.g. "${v}" at ${where(s)})`;
}

/** One failed rule in plain words. */
function describeRule(r: RuleResult): string {
  const col = r.columns.join(' + ');
  const n = r.failingCount;
  switch (r.kind) {
    case 'notNull':
      return `${col} is empty in ${plural(n, 'row')}${firstValue(r)}`;
    case 'unique':
      return `${col} repeats in ${plural(n, 'row')}${firstValue(r)}`;
    case 'range': {
      const reason = r.samples[0]?.reason ?? '';
      // a range open at one end checks the values' kind: its failures are values of another kind
      if (reason.startsWith('not a')) {
        const kind = reason.slice(reason.lastIndexOf(' ') + 1);
        return `${col} has ${plural(n, 'value')} that ${n === 1 ? `is not a valid ${kind}` : `are not valid ${kind}s`}${firstValue(r)}`;
      }
      return `${col} has ${plural(n, 'value')} out of range${firstValue(r)}`;
    }
    case 'regex':
      if (r.params.pattern === EMAIL_PATTERN) return `${col} has ${plural(n, 'value')} that ${n === 1 ? 'is not an e-mail address' : 'are not e-mail addresses'}${firstValue(r)}`;
      return `${col} has ${plural(n, 'value')} not matching ${String(r.params.pattern ?? 'the pattern')}${firstValue(r)}`;
    case 'allowedValues':
      return `${col} has ${plural(n, 'value')} outside ${Array.isArray(r.params.values) ? (r.params.values as unknown[]).join(', ') : 'the allowed ones'}${firstValue(r)}`;
    default:
      return `${col || r.id}: ${r.message}`;
  }
}

/** What reading the file ran into: ragged rows, encoding errors, a stop. */
function describeIssues(report: QualityReport): string[] {
  const { issues } = report;
  const out: string[] = [];
  if (issues.parseError) out.push(`reading stopped early${issues.parseError.line ? ` at line ${issues.parseError.line}` : ''}: ${issues.parseError.message}`);
  if (issues.raggedRows.count) {
    const s = issues.raggedRows.samples[0];
    out.push(`${plural(issues.raggedRows.count, 'row')} ${issues.raggedRows.count === 1 ? 'has' : 'have'} a different number of fields than the header${s ? ` (${s.fieldCount} instead of ${s.expected} at ${where(s)})` : ''}`);
  }
  if (issues.encodingErrors.count) {
    const e = issues.encodingErrors;
    out.push(`${plural(e.rowCount, 'row')} ${e.rowCount === 1 ? 'has' : 'have'} bytes that are not valid text${e.suggestedEncoding ? ` (the file may be ${e.suggestedEncoding})` : ''}`);
  }
  return out;
}

/** What a question asks about, as the rule kinds that check it ("any duplicates?" → unique). */
const FOCUS: readonly { re: RegExp; kinds: readonly RuleResult['kind'][]; none: (checked: string[]) => string }[] = [
  {
    re: /\b(?:duplicates?|duplicated|dupes?|repeat(?:s|ed)?|unique)\b/i,
    kinds: ['unique'],
    none: (c) => (c.length ? `No repeats in the key-like ${c.length === 1 ? 'column' : 'columns'} ${c.join(', ')}.` : 'No column looks like a key, so none was checked for repeats.'),
  },
  {
    re: /\b(?:missing|empty|nulls?|blanks?|gaps?)\b/i,
    kinds: ['notNull'],
    none: (c) => (c.length ? `No gaps in the ${c.length === 1 ? 'column' : 'columns'} expected to be filled (${c.join(', ')}).` : 'No column was expected to be always filled.'),
  },
];

/**
 * A quality report in plain words, for the reply: each failed rule with a first failing value and
 * where it is (those about what `question` asks first, or a line saying there are none), then what
 * reading the file ran into; or that nothing was found, and over how much.
 */
export function describeQuality(report: QualityReport, question = ''): string {
  const focus = FOCUS.find((f) => f.re.test(question));
  const about = (r: RuleResult) => (focus?.kinds.includes(r.kind) ? 0 : 1);
  const failed = report.rules.filter((r) => !r.passed).sort((a, b) => about(a) - about(b));
  const issues = describeIssues(report);
  if (failed.length === 0 && issues.length === 0) {
    return `No problems found: ${plural(report.summary.total, 'check')} passed over ${plural(report.rowCount, 'row')}.`;
  }
  const parts: string[] = [];
  if (focus && !failed.some((r) => about(r) === 0)) {
    parts.push(focus.none(report.rules.filter((r) => focus.kinds.includes(r.kind)).map((r) => r.columns.join(' + '))));
  }
  if (failed.length) {
    const shown = failed.slice(0, MAX_DESCRIBED).map(describeRule);
    const more = failed.length - shown.length;
    if (more > 0) shown.push(`and ${more} more in the report`);
    // one problem per line (a list in the web app's Markdown and on a terminal alike)
    const lead = parts.length ? 'Other problems' : `${failed.length} of ${plural(report.summary.total, 'check')} found problems`;
    parts.push(`${lead} over ${plural(report.rowCount, 'row')}:\n${shown.map((x) => `- ${x}`).join('\n')}`);
  }
  if (issues.length) parts.push(`Reading the file: ${issues.join('; ')}.`);
  return parts.join('\n\n');
}
