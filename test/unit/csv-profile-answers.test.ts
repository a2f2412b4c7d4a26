import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { profileCsv } from '../../src/workflows/builtin/csv/lib/profile-csv.js';
import { describeColumnStats, describeKeys, isKeyQuestion, isStatsQuestion, namedColumn } from '../../src/workflows/builtin/csv/lib/profile-answers.js';

const orders = () => profileCsv(createReadStream(new URL('../../examples/csv/orders.csv', import.meta.url)));
const text = (csv: string) => profileCsv(Readable.from([Buffer.from(csv)]));

describe('which column could be the key', () => {
  it('recognises the question', () => {
    for (const q of ['which column could be the primary key?', 'is there a unique column', 'what identifies each row', 'which column is the key?', 'which column is the key', 'what is the key', 'which field would be a good key']) expect(isKeyQuestion(q), q).toBe(true);
    for (const q of ['profile this csv', 'give me postgres ddl']) expect(isKeyQuestion(q), q).toBe(false);
  });
  it('an integer or text column unique and never empty; unique amounts and timestamps are a coincidence', async () => {
    expect(describeKeys(await orders())).toBe('order_id is unique and never empty over the 120 rows: a candidate key.');
  });
  it('none: the nearest, with its repeats', async () => {
    const p = await text('id,name\n1,a\n2,b\n2,c\n3,\n');
    expect(describeKeys(p)).toBe('No single column is unique and never empty over the 4 rows. Nearest: id, 3 distinct values in 4 rows (repeated: "2" ×2).');
  });
});

describe("a column's range", () => {
  it('recognises the question and finds the column by its words', async () => {
    expect(isStatsQuestion("what's the biggest amount?")).toBe(true);
    expect(isStatsQuestion('profile this csv')).toBe(false);
    const p = await orders();
    expect(namedColumn('the average discount pct', p)?.name).toBe('discount_pct');
    expect(namedColumn('largest amounts', p)?.name).toBe('amount');
    expect(namedColumn('what is the biggest one', p)).toBeNull();
  });
  it('numbers: min, max and mean; dates: earliest and latest; text: in text order; empties counted', async () => {
    const p = await orders();
    expect(describeColumnStats("what's the biggest amount?", p)).toBe('amount goes from 6.56 to 899.89, mean 434.41 over 120 values.');
    const q = await text('day,score,name\n2024-03-01,1.5,b\n2024-01-02,,a\n2024-02-03,2.5,c\n');
    expect(describeColumnStats('earliest day', q)).toBe('day goes from 2024-01-02 to 2024-03-01 over 3 values.');
    expect(describeColumnStats('max score', q)).toBe('score goes from 1.5 to 2.5, mean 2 over 2 values; 1 row has none.');
    expect(describeColumnStats('min name', q)).toBe('name goes (in text order) from a to c over 3 values.');
  });
});

describe('a number column with a value that is not a number', () => {
  const rows = (other: (i: number) => string | null, n = 200) =>
    ['id,amount', ...Array.from({ length: n }, (_, i) => `${i + 1},${other(i) ?? (i * 2.47 + 1.42).toFixed(2)}`)].join('\n');
  it('gives the range of its numbers, says how many are not and where to find them, instead of a text-order "biggest"', async () => {
    const p = await profileCsv(Readable.from([Buffer.from(rows((i) => (i === 89 ? 'abc' : null)))]));
    const amount = p.columns.find((c) => c.name === 'amount')!;
    expect(amount.inferredType).toBe('string');
    // the numbers before and after the odd value: 1.42 … 199 × 2.47 + 1.42
    expect(amount.mostlyNumeric).toEqual({ numbers: 199, others: 1, firstOther: 'abc', min: 1.42, max: 492.95, mean: expect.any(Number), decimalSeparator: '.' });
    expect(describeColumnStats("what's the biggest amount?", p)).toBe(
      'amount is mostly numbers, but not only (e.g. "abc"): 199 of its 200 values are numbers, from 1.42 to 492.95, mean 247.32; the other 1 is not, so the profile keeps the column as text. "check the quality of this file" lists every value that is not a number, with its line.',
    );
  });
  it('a column of words that starts with numbers is text, with no numbers kept', async () => {
    const p = await profileCsv(Readable.from([Buffer.from(rows((i) => (i < 3 ? null : `word${i}`)))]));
    const amount = p.columns.find((c) => c.name === 'amount')!;
    expect(amount.inferredType).toBe('string');
    expect(amount.mostlyNumeric).toBeNull();
    expect(describeColumnStats('the biggest amount', p)).toMatch(/^amount goes \(in text order\) from /);
  });
  it('a quarter that is not numbers is too many: text', async () => {
    const p = await profileCsv(Readable.from([Buffer.from(rows((i) => (i % 4 === 3 ? 'n.a' : null)))]));
    expect(p.columns.find((c) => c.name === 'amount')!.mostlyNumeric).toBeNull();
  });
  it('a decimal comma column keeps its convention', async () => {
    const text = ['id;amount', ...Array.from({ length: 100 }, (_, i) => `${i};${i === 50 ? 'TBD' : `${i},5`}`)].join('\n');
    const p = await profileCsv(Readable.from([Buffer.from(text)]));
    const m = p.columns.find((c) => c.name === 'amount')!.mostlyNumeric;
    expect(m).toMatchObject({ numbers: 99, others: 1, firstOther: 'TBD', min: 0.5, max: 99.5, decimalSeparator: ',' });
  });
});
