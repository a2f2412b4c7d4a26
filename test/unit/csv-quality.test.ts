import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { checkQuality, deriveRules, profileCsv, QualityReport, type RuleResult } from '../../src/workflows/builtin/csv/lib/index.js';
import { compilePlan } from '../../src/planning/plan.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

async function* once(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

const ORDERS = [
  'order_id,email,status,amount,placed_on,line',
  '1,ann@example.com,paid,10.50,2024-01-05,1',
  '2,bob@example,paid,20,2024-01-06,1',
  '3,,refunded,-5,2024-01-07,1',
  '3,cy@example.org,PAID,1000,2023-12-31,2',
  '4,dee@example.net,lost,abc,2024-02-30,1',
  '5,eve@example.com,paid,,NULL,1',
].join('\n');

const rule = (report: { rules: RuleResult[] }, id: string): RuleResult => {
  const r = report.rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};

describe('checkQuality', () => {
  it('evaluates every rule kind with failing samples', async () => {
    const report = await checkQuality(once(ORDERS), {
      requiredColumns: ['order_id', 'email'],
      notNull: ['email', 'amount'],
      unique: ['order_id', ['order_id', 'line']],
      range: [
        { column: 'amount', min: 0, max: 500 },
        { column: 'placed_on', min: '2024-01-01', max: '2024-01-31' },
      ],
      regex: [{ column: 'email', pattern: '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$' }],
      allowedValues: [{ column: 'status', values: ['paid', 'refunded'] }],
      rowCount: { min: 1, max: 5 },
    });
    expect(report.passed).toBe(false);
    expect(QualityReport.parse(report)).toEqual(report);

    expect(rule(report, 'column:order_id').passed).toBe(true);

    const notNullEmail = rule(report, 'notNull:email');
    expect(notNullEmail).toMatchObject({ passed: false, failingCount: 1, checkedCount: 6 });
    expect(notNullEmail.samples).toEqual([{ row: 3, line: 4, values: { email: null }, reason: 'null' }]);
    expect(rule(report, 'notNull:amount').samples.map((s) => s.row)).toEqual([6]);

    const uniq = rule(report, 'unique:order_id');
    expect(uniq).toMatchObject({ passed: false, failingCount: 1 });
    expect(uniq.samples[0]).toMatchObject({ row: 4, values: { order_id: '3' }, reason: 'duplicate' });
    expect(rule(report, 'unique:order_id+line').passed).toBe(true);

    const amount = rule(report, 'range:amount');
    expect(amount.failingCount).toBe(3);
    expect(amount.samples.map((s) => [s.row, s.reason])).toEqual([
      [3, 'below 0'],
      [4, 'above 500'],
      [5, 'not a number'],
    ]);
    const placed = rule(report, 'range:placed_on');
    expect(placed.samples.map((s) => [s.row, s.reason])).toEqual([
      [4, 'before min'],
      [5, 'not a date'],
    ]);

    const email = rule(report, 'regex:email');
    expect(email.samples.map((s) => s.values['email'])).toEqual(['bob@example']);

    const status = rule(report, 'allowedValues:status');
    expect(status.samples.map((s) => s.values['status'])).toEqual(['PAID', 'lost']);

    expect(rule(report, 'rowCount')).toMatchObject({ passed: false, message: '6 rows, more than 5' });
    expect(report.summary.total).toBe(report.rules.length);
    expect(report.summary.failed).toBe(report.rules.filter((r) => !r.passed).length);
    expect(report.summary.text).toContain('failed: notNull:email');
  });

  it('passes when every rule holds', async () => {
    const report = await checkQuality(once(ORDERS), {
      notNull: ['order_id', 'status'],
      allowedValues: [{ column: 'status', values: ['paid', 'refunded', 'lost'], ignoreCase: true }],
      range: [{ column: 'order_id', min: 1, max: 5 }],
      rowCount: { min: 6, max: 6 },
    });
    expect(report.rules.every((r) => r.passed)).toBe(true);
    expect(report.passed).toBe(true);
    expect(report.summary.text).toBe('5/5 rules passed over 6 rows');
  });

  it('reports unknown columns as failed rules, not errors', async () => {
    const report = await checkQuality(once(ORDERS), { notNull: ['missing'], unique: [['order_id', 'nope']], requiredColumns: ['Email '] });
    expect(rule(report, 'notNull:missing')).toMatchObject({ passed: false, error: 'unknown_column', message: 'unknown column "missing"' });
    expect(rule(report, 'unique:order_id+nope')).toMatchObject({ passed: false, error: 'unknown_column' });
    // Case-insensitive, trimmed fallback match.
    expect(rule(report, 'column:Email ').passed).toBe(true);
    expect(report.passed).toBe(false);
  });

  it('takes a date-only max as the whole day and honours day-first values', async () => {
    const report = await checkQuality(once('ts,d\n2024-01-31T23:59:59Z,31/01/2024\n2024-02-01T00:00:00Z,01/02/2024\n'), {
      range: [
        { column: 'ts', max: '2024-01-31' },
        { column: 'd', min: '2024-01-15', max: '2024-01-31', dayFirst: true },
      ],
    });
    expect(rule(report, 'range:ts').samples.map((s) => s.row)).toEqual([2]);
    expect(rule(report, 'range:d').samples.map((s) => s.row)).toEqual([2]);
    const us = await checkQuality(once('d\n01/31/2024\n02/01/2024\n'), { range: [{ column: 'd', max: '01/31/2024' }] });
    expect(rule(us, 'range:d').samples.map((s) => [s.row, s.reason])).toEqual([[2, 'after max']]);
  });

  it('compares comma decimals when told', async () => {
    const report = await checkQuality(once('p;q\n1,5;x\n12,25;y\n'), { range: [{ column: 'p', max: 10, decimalSeparator: ',' }] });
    expect(rule(report, 'range:p').samples).toMatchObject([{ row: 2, values: { p: '12,25' }, reason: 'above 10' }]);
  });

  it('caps regex input length and rejects invalid patterns', async () => {
    const long = 'a'.repeat(50);
    const report = await checkQuality(once(`v\n${long}\nabc\n`), { regex: [{ column: 'v', pattern: '^a+$' }] }, { regexMaxInputLength: 10 });
    expect(rule(report, 'regex:v').samples.map((s) => s.reason)).toEqual(['longer than 10 characters, not tested', 'no match']);
    await expect(checkQuality(once('v\n1\n'), { regex: [{ column: 'v', pattern: '([a-z]' }] })).rejects.toThrow(/invalid regular expression/);
    await expect(checkQuality(once('v\n1\n'), { regex: [{ column: 'v', pattern: 'a', flags: 'g' }] })).rejects.toBeInstanceOf(ValidationError);
    await expect(checkQuality(once('v\n1\n'), { range: [{ column: 'v' }] })).rejects.toBeInstanceOf(ValidationError);
  });

  it('runs user regexes on a linear-time engine: exponential patterns finish on long values', async () => {
    // A backtracking engine needs ~2^n steps for ^(a|aa)+$ against "aaa…ab"; RE2 is linear.
    const evil = `${'a'.repeat(200_000)}b`;
    const csv = `v\n${evil}\n${'a'.repeat(30)}\n`;
    for (const pattern of ['^(a|aa)+$', '(a+)+$', '^(\\w*\\s?)*$']) {
      const report = await checkQuality(once(csv), { regex: [{ column: 'v', pattern }] }, { regexMaxInputLength: 1_000_000 });
      const r = rule(report, 'regex:v');
      expect(r.samples.map((s) => s.row)).toEqual(pattern === '^(\\w*\\s?)*$' ? [] : [1]);
    }
  });

  it('refuses patterns RE2 cannot run (backreferences, lookaround) at run validation, naming the pattern', () => {
    const registry = registerBuiltins(new WorkflowRegistry());
    for (const pattern of ['^(a)\\1$', '^(?=a)a', 'a(?<!b)']) {
      const spec = { workflow: 'csv.quality', params: { source: 'art_abc', rules: { regex: [{ column: 'v', pattern }] } } };
      let caught: unknown;
      try {
        compilePlan(spec, registry);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect(JSON.stringify((caught as ValidationError).details)).toMatch(/invalid regular expression.*no backreferences or lookaround/);
    }
    expect(() => compilePlan({ workflow: 'csv.quality', params: { source: 'art_abc', rules: { regex: [{ column: 'v', pattern: '^[a-z]+$' }] } } }, registry)).not.toThrow();
  });

  it('marks a unique rule incomplete once its key budget is spent', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => String(i % 40)).join('\n');
    const report = await checkQuality(once(`k\n${rows}\n`), { unique: ['k'] }, { uniqueMaxKeys: 10 });
    const r = rule(report, 'unique:k');
    expect(r.error).toBe('incomplete');
    expect(r.failingCount).toBe(10); // duplicates of the 10 remembered keys are still found
    expect(r.message).toContain('stopped remembering keys after 10');
  });

  it('fails the report when the file cannot be read to the end', async () => {
    const report = await checkQuality(createReadStream(fixture('unclosed-quote.csv')), { notNull: ['id'] });
    expect(rule(report, 'notNull:id').passed).toBe(true);
    expect(report.complete).toBe(false);
    expect(report.passed).toBe(false);
    expect(report.summary.text).toContain('reading stopped early');
  });
});

describe('deriveRules', () => {
  it('derives rules that pass on the profiled data and catch drift', async () => {
    const csv = [
      'id,status,amount,day,note',
      ...Array.from({ length: 40 }, (_, i) => `${i + 1},${['new', 'paid', 'shipped'][i % 3]},${((i % 20) * 2.5).toFixed(1)},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i % 2 ? 'x' : ''}`),
    ].join('\n');
    const profile = await profileCsv(once(csv));
    const rules = deriveRules(profile, { rowCountTolerance: 0.1 });
    expect(rules.requiredColumns).toEqual(['id', 'status', 'amount', 'day', 'note']);
    expect(rules.notNull).toEqual(['id', 'status', 'amount', 'day']);
    expect(rules.unique).toEqual(['id']);
    // a key and a date grow with the feed: lower bounds only; a measure gets a margin (never below 0 here)
    expect(rules.range).toEqual([
      { column: 'id', min: 1, decimalSeparator: '.', dayFirst: false },
      { column: 'amount', min: 0, max: 59.375, decimalSeparator: '.', dayFirst: false },
      { column: 'day', min: '2024-01-01', decimalSeparator: '.', dayFirst: false },
    ]);
    expect(rules.allowedValues).toEqual([
      { column: 'status', values: ['new', 'paid', 'shipped'], ignoreCase: false },
      { column: 'note', values: ['x'], ignoreCase: false },
    ]);
    expect(rules.rowCount).toEqual({ min: 36, max: 44 });

    const same = await checkQuality(once(csv), rules);
    expect(same.passed).toBe(true);

    const drifted = csv.replace('\n3,shipped,', '\n3,cancelled,').replace('\n5,paid,10.0,', '\n5,paid,1000.0,');
    const report = await checkQuality(once(drifted), rules);
    expect(report.passed).toBe(false);
    expect(rule(report, 'allowedValues:status').samples.map((s) => s.values['status'])).toEqual(['cancelled']);
    expect(rule(report, 'range:amount').samples.map((s) => s.row)).toEqual([5]);
  });

  it('derives rules from one delivery that pass on the next delivery of the same feed, and still catch drift', async () => {
    const statuses = ['new', 'paid', 'shipped', 'cancelled'];
    const delivery = (first: number, month: string, amountAt: (i: number) => number) =>
      [
        'order_id,status,amount,placed_at,comment',
        ...Array.from({ length: 200 }, (_, k) => {
          const i = first + k;
          const day = String((k % 28) + 1).padStart(2, '0');
          return `${i},${statuses[k % 4]},${amountAt(k).toFixed(2)},2024-${month}-${day}T10:${String(k % 60).padStart(2, '0')}:00Z,note ${i}`;
        }),
      ].join('\n');
    const january = delivery(1, '01', (k) => 10 + ((k * 37) % 490));
    const profile = await profileCsv(once(january));
    const rules = deriveRules(profile);
    // no zero-margin upper bound on the key or the timestamp; categorical status only, not the free-text comment
    expect(rules.range.find((r) => r.column === 'order_id')).toEqual({ column: 'order_id', min: 1, decimalSeparator: '.', dayFirst: false });
    expect(rules.range.find((r) => r.column === 'placed_at')?.max).toBeUndefined();
    expect(rules.allowedValues.map((a) => a.column)).toEqual(['status']);
    expect((await checkQuality(once(january), rules)).passed).toBe(true);

    // February: later ids and timestamps, amounts a little beyond January's extremes
    const february = delivery(201, '02', (k) => 5 + ((k * 41) % 520));
    const next = await checkQuality(once(february), rules);
    expect(next.rules.filter((r) => !r.passed).map((r) => r.id)).toEqual([]);
    expect(next.passed).toBe(true);
    // passing rules show what they checked
    expect(rule(next, 'range:amount').params).toMatchObject({ min: expect.any(Number), max: expect.any(Number) });
    expect(rule(next, 'range:amount').message).toMatch(/^ok \(within \[/);
    expect(rule(next, 'allowedValues:status').message).toBe('ok (one of cancelled, new, paid, shipped)');
    expect(rule(next, 'range:order_id').message).toBe('ok (at least 1)');

    // a broken delivery still fails: an unknown status and a duplicate key
    const broken = february.replace('\n201,new,', '\n201,lost,').replace('\n202,', '\n201,');
    const bad = await checkQuality(once(broken), rules);
    expect(bad.passed).toBe(false);
    expect(rule(bad, 'allowedValues:status').passed).toBe(false);
    expect(rule(bad, 'unique:order_id').passed).toBe(false);
  });

  it('widens ranges by a margin and validates its options', async () => {
    const profile = await profileCsv(once('v\n10\n20\n'));
    expect(deriveRules(profile, { rangeMargin: 0.5 }).range[0]).toMatchObject({ min: 5, max: 25 });
    expect(() => deriveRules(profile, { rowCountTolerance: -1 })).toThrow(ValidationError);
  });
});
