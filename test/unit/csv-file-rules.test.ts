import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkQuality, deriveRules, profileCsv } from '../../src/workflows/builtin/csv/lib/index.js';
import { deriveFileRules } from '../../src/workflows/builtin/csv/lib/quality/derive-file-rules.js';
import { describeQuality } from '../../src/workflows/builtin/csv/lib/quality/quality-overview.js';

const file = (rel: string) => () => createReadStream(new URL(rel, import.meta.url));
const text = (csv: string) => () => Readable.from([Buffer.from(csv)]);

/** Profiles the CSV, derives the file rules and checks them over the same data. */
async function check(open: () => Readable, derive = deriveFileRules) {
  const rules = derive(await profileCsv(open()));
  return { rules, report: await checkQuality(open(), rules) };
}

describe('rules that look for problems in the file itself', () => {
  it('finds the gaps, the repeated key, the values that are not dates and the other spelling in a dirty file', async () => {
    const { rules, report } = await check(file('../fixtures/csv/dirty-orders.csv'));
    expect(rules.notNull).toContain('customer_email');
    expect(rules.unique).toContain('order_id');
    expect(rules.range).toContainEqual(expect.objectContaining({ column: 'order_date', min: '0001-01-01' }));
    expect(rules.allowedValues).toContainEqual({ column: 'status', values: ['cancelled', 'pending', 'shipped'], ignoreCase: false });
    expect(rules.rowCount).toBeUndefined();
    const failed = Object.fromEntries(report.rules.filter((r) => !r.passed).map((r) => [r.id, r.failingCount]));
    expect(failed).toEqual({ 'notNull:customer_email': 3, 'unique:order_id': 1, 'range:order_date': 2, 'allowedValues:status': 2 });
    expect(describeQuality(report)).toBe(
      [
        '4 of 16 checks found problems over 60 rows:',
        '- customer_email is empty in 3 rows (first at line 10)',
        '- order_id repeats in 1 row (e.g. "1039" at line 41)',
        '- order_date has 2 values that are not valid dates (e.g. "2024-02-30" at line 22)',
        '- status has 2 values outside cancelled, pending, shipped (e.g. "Shipped" at line 13)',
      ].join('\n'),
    );
  });

  it('in an e-mail column: a value that is no address, and the same address twice; "U.S." is another spelling of "US"', async () => {
    const { report } = await check(file('../../examples/csv/customers.csv'));
    const lines = describeQuality(report).split('\n');
    expect(lines).toContainEqual('- email has 1 value that is not an e-mail address (e.g. "not-an-email" at line 28)');
    expect(lines).toContainEqual('- email repeats in 2 rows (e.g. "maya.baker@example.com" at line 25)');
    const rows = ['id,country', ...Array.from({ length: 30 }, (_, i) => `${i + 1},${i === 7 ? 'U.S.' : i % 2 ? 'US' : 'DE'}`)].join('\n');
    const spelled = await check(text(rows));
    expect(describeQuality(spelled.report).split('\n')).toContainEqual('- country has 1 value outside DE, US (e.g. "U.S." at line 9)');
  });

  it('what the question asks about comes first, or a line says there is none of it', async () => {
    const { report } = await check(file('../fixtures/csv/dirty-orders.csv'));
    expect(describeQuality(report, 'any duplicates?').split('\n')[1]).toBe('- order_id repeats in 1 row (e.g. "1039" at line 41)');
    const customers = await check(file('../../examples/csv/customers.csv'));
    expect(describeQuality(customers.report, 'any duplicates?').split('\n')[1]).toBe('- email repeats in 2 rows (e.g. "maya.baker@example.com" at line 25)');
    const clean = await check(text(['id,name', ...Array.from({ length: 30 }, (_, i) => `${i + 1},${i === 4 ? '' : `n${i}`}`)].join('\n')));
    expect(describeQuality(clean.report, 'any duplicates?')).toMatch(/^No repeats in the key-like column id\.\n\nOther problems over 30 rows:\n- name is empty in 1 row \(first at line 6\)/);
  });

  it('the feed baseline passes on the same dirty file (what the file rules are for)', async () => {
    const { report } = await check(file('../fixtures/csv/dirty-orders.csv'), deriveRules);
    expect(report.passed).toBe(true);
  });

  it('raises nothing on clean data: every rule passes on the example files', async () => {
    for (const name of ['orders.csv']) {
      const { report } = await check(file(`../../examples/csv/${name}`));
      expect(report.rules.filter((r) => !r.passed).map((r) => r.id), name).toEqual([]);
      expect(describeQuality(report)).toMatch(/^No problems found: \d+ checks passed over 120 rows\.$/);
    }
  });

  it('leaves a column alone when it is not mostly one shape: sparse columns, foreign keys, free text, small files', async () => {
    const rows = ['id,customer_id,note,code'];
    for (let i = 1; i <= 40; i++) rows.push(`${i},${(i % 7) + 1},${i % 2 ? '' : `note ${i}`},${i % 3 ? `2024-01-${String((i % 27) + 1).padStart(2, '0')}` : 'unknown'}`);
    const { rules, report } = await check(text(`${rows.join('\n')}\n`));
    expect(rules.notNull).not.toContain('note'); // half empty: optional, not gaps
    expect(rules.unique).toEqual(['id']); // customer_id repeats by design
    expect(rules.range.find((r) => r.column === 'code')).toBeUndefined(); // a third say "unknown": a second kind of value, not odd ones
    expect(report.passed).toBe(true);
    const { rules: small } = await check(text('id,email\n1,a@x\n1,\n'));
    expect(small.unique).toEqual([]);
    expect(small.notNull).toEqual(['id']);
  });

  it('reports what reading the file ran into, with the rule failures', async () => {
    const { report } = await check(file('../fixtures/csv/ragged-rows.csv'));
    expect(describeQuality(report)).toMatch(/^Reading the file: 3 rows have a different number of fields than the header \(\d+ instead of \d+ at line \d+\)\.$/);
  });
});
