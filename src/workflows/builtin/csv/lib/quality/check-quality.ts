import { readCsv } from '../csv-reader.js';
import type { CsvSource, ReadHooks } from '../csv-source.js';
import { parseOrThrow } from '../validate.js';
import {
  QualityOptions,
  QualityRules,
  type QualityReport,
  type ResolvedQualityOptions,
  type ResolvedQualityRules,
  type RuleResult,
} from './quality-schema.js';
import { compileUserRegex, type UserRegex } from './user-regex.js';
import { AllowedValuesCheck, NotNullCheck, RangeCheck, RegexCheck, RuleCheck, UniqueCheck, type CheckContext } from './rule-checks.js';

/** Resolves a rule's column name: exact match first, then a unique case-insensitive trimmed match. */
export function resolveColumn(columns: readonly string[], name: string): number {
  const exact = columns.indexOf(name);
  if (exact >= 0) return exact;
  const wanted = name.trim().toLowerCase();
  let found = -1;
  for (let i = 0; i < columns.length; i++) {
    if (columns[i]!.trim().toLowerCase() !== wanted) continue;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}

function unknownColumn(id: string, kind: RuleResult['kind'], columns: string[], missing: string[]): RuleResult {
  return {
    id,
    kind,
    columns,
    passed: false,
    failingCount: 0,
    checkedCount: 0,
    samples: [],
    params: {},
    message: `unknown column${missing.length > 1 ? 's' : ''} ${missing.map((m) => JSON.stringify(m)).join(', ')}`,
    error: 'unknown_column',
  };
}

/** Builds the checks once the header is known; rules naming unknown columns become failed results. */
function buildChecks(
  rules: ResolvedQualityRules,
  o: ResolvedQualityOptions,
  ctx: CheckContext,
  regexes: UserRegex[],
): { checks: RuleCheck[]; fixed: RuleResult[]; order: string[] } {
  const checks: RuleCheck[] = [];
  const fixed: RuleResult[] = [];
  const order: string[] = [];
  const cols = ctx.columns;
  const ids = new Set<string>();
  const uniqueId = (base: string): string => {
    let id = base;
    for (let k = 2; ids.has(id); k++) id = `${base}#${k}`;
    ids.add(id);
    return id;
  };
  const locate = (names: string[], id: string, kind: RuleResult['kind']): number[] | null => {
    order.push(id);
    const idx = names.map((n) => resolveColumn(cols, n));
    const missing = names.filter((_, i) => idx[i]! < 0);
    if (missing.length === 0) return idx;
    fixed.push(unknownColumn(id, kind, names, missing));
    return null;
  };
  for (const name of rules.requiredColumns) {
    const id = uniqueId(`column:${name}`);
    const idx = locate([name], id, 'column');
    if (idx) fixed.push({ id, kind: 'column', columns: [name], passed: true, failingCount: 0, checkedCount: 0, samples: [], params: {}, message: 'present', error: null });
  }
  for (const name of rules.notNull) {
    const id = uniqueId(`notNull:${name}`);
    const idx = locate([name], id, 'notNull');
    if (idx) checks.push(new NotNullCheck(id, 'notNull', [name], idx, ctx));
  }
  for (const u of rules.unique) {
    const names = typeof u === 'string' ? [u] : u;
    const id = uniqueId(`unique:${names.join('+')}`);
    const idx = locate(names, id, 'unique');
    if (idx) checks.push(new UniqueCheck(id, names, idx, ctx, o.uniqueMaxKeys));
  }
  for (const r of rules.range) {
    const id = uniqueId(`range:${r.column}`);
    const idx = locate([r.column], id, 'range');
    if (idx) checks.push(withParams(new RangeCheck(id, [r.column], idx, ctx, r.min, r.max, r.decimalSeparator === ',', r.dayFirst), { min: r.min ?? null, max: r.max ?? null }));
  }
  rules.regex.forEach((r, k) => {
    const id = uniqueId(`regex:${r.column}`);
    const idx = locate([r.column], id, 'regex');
    if (idx) checks.push(withParams(new RegexCheck(id, [r.column], idx, ctx, regexes[k]!, o.regexMaxInputLength), { pattern: r.pattern, flags: r.flags }));
  });
  for (const r of rules.allowedValues) {
    const id = uniqueId(`allowedValues:${r.column}`);
    const idx = locate([r.column], id, 'allowedValues');
    if (idx) checks.push(withParams(new AllowedValuesCheck(id, [r.column], idx, ctx, r.values, r.ignoreCase), { values: r.values, ignoreCase: r.ignoreCase }));
  }
  if (rules.rowCount) order.push('rowCount');
  return { checks, fixed, order };
}

function withParams<C extends RuleCheck>(check: C, params: Record<string, unknown>): C {
  check.params = params;
  return check;
}

/**
 * Streams a CSV source once and evaluates data-quality rules over it, with memory bounded by the
 * options (unique keys are the only state that grows, up to `uniqueMaxKeys` per rule).
 *
 * Invalid rules or options (bad schema, a regular expression the linear-time RE2 engine cannot compile) throw
 * ValidationError before anything is read. A rule naming a column the file lacks does not throw:
 * it is a failed rule with `error: "unknown_column"`. The report passes when every rule passes
 * and the file was read to the end (a parse error makes it fail).
 */
export async function checkQuality(
  source: CsvSource,
  rulesInput: QualityRules,
  opts: QualityOptions = {},
  hooks: ReadHooks = {},
): Promise<QualityReport> {
  const rules = parseOrThrow(QualityRules, rulesInput, 'quality rules');
  const o = parseOrThrow(QualityOptions, opts, 'quality options');
  const regexes = rules.regex.map((r, i) => compileUserRegex(r.pattern, r.flags, `regex[${i}] (${r.column})`));

  let checks: RuleCheck[] = [];
  let fixed: RuleResult[] = [];
  let order: string[] = [];
  const read = await readCsv(
    source,
    o,
    {
      start(info) {
        const ctx: CheckContext = {
          isNull: info.isNull,
          maxSamples: o.maxFailingSamples,
          maxValueLength: o.maxSampleValueLength,
          columns: info.columns,
        };
        ({ checks, fixed, order } = buildChecks(rules, o, ctx, regexes));
      },
      record(cells, row, line) {
        for (let i = 0; i < checks.length; i++) checks[i]!.check(cells, row, line);
      },
    },
    hooks,
  );

  const byId = new Map<string, RuleResult>();
  for (const r of fixed) byId.set(r.id, r);
  for (const c of checks) byId.set(c.id, c.result());
  if (rules.rowCount) {
    const { min, max } = rules.rowCount;
    const n = read.rowCount;
    const low = min !== undefined && n < min;
    const high = max !== undefined && n > max;
    byId.set('rowCount', {
      id: 'rowCount',
      kind: 'rowCount',
      columns: [],
      passed: !low && !high,
      failingCount: low || high ? 1 : 0,
      checkedCount: n,
      samples: [],
      params: { min: min ?? null, max: max ?? null },
      message: low ? `${n} rows, fewer than ${min}` : high ? `${n} rows, more than ${max}` : `${n} rows within bounds`,
      error: null,
    });
  }
  const results = [...new Set(order)].map((id) => byId.get(id)!).filter((r) => r !== undefined);
  const failed = results.filter((r) => !r.passed);
  const passed = failed.length === 0 && read.complete;
  const text =
    `${results.length - failed.length}/${results.length} rules passed over ${read.rowCount} rows` +
    (failed.length > 0 ? `; failed: ${failed.map((r) => `${r.id} (${r.message})`).join(', ')}` : '') +
    (read.complete ? '' : `; reading stopped early: ${read.issues.parseError?.message ?? 'parse error'}`);
  return {
    passed,
    rowCount: read.rowCount,
    bytesRead: read.bytesRead,
    complete: read.complete,
    columns: read.columns,
    dialect: read.dialect,
    rules: results,
    summary: { total: results.length, passed: results.length - failed.length, failed: failed.length, text },
    issues: read.issues,
  };
}
