import { describe, expect, it } from 'vitest';
import { parseBoolean, wordBoolean } from '../../src/workflows/builtin/csv/lib/boolean-tokens.js';
import { createNullMatcher, DEFAULT_NULL_VALUES } from '../../src/workflows/builtin/csv/lib/null-values.js';
import { commaValue, createNumberScan, dotValue, scaledValue, scanNumber } from '../../src/workflows/builtin/csv/lib/number-scan.js';
import { mulberry32 } from '../../src/workflows/builtin/csv/lib/prng.js';
import { profileCsv } from '../../src/workflows/builtin/csv/lib/profile-csv.js';
import type { ProfileOptions } from '../../src/workflows/builtin/csv/lib/profile-schema.js';
import { createTemporalScan, scanTemporal } from '../../src/workflows/builtin/csv/lib/temporal.js';

async function* once(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

/** Profiles a one-column file made of `values` (header `v`). */
async function profileColumn(values: string[], opts: ProfileOptions = {}) {
  // An empty cell of a one-column file must be quoted, or it is a blank line.
  const text = `v\n${values.map((x) => (x === '' || /[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x)).join('\n')}\n`;
  const p = await profileCsv(once(text), { header: true, delimiter: ',', ...opts });
  return p.columns[0]!;
}

describe('type inference table', () => {
  it.each<[string, string[], string]>([
    ['plain integers', ['1', '-20', '+3', '0'], 'integer'],
    ['integers with thousands separators', ['1,234', '56', '7,890,123'], 'integer'],
    ['decimals', ['1.5', '-0.25', '3', '.5'], 'decimal'],
    ['scientific notation', ['1e3', '2.5E-4', '7'], 'decimal'],
    ['0/1 only is integer', ['0', '1', '1', '0'], 'integer'],
    ['word booleans', ['true', 'False', 'TRUE'], 'boolean'],
    ['yes/no/y/n/t/f', ['yes', 'No', 'y', 'N', 't', 'F'], 'boolean'],
    ['booleans mixed with 0/1', ['yes', '0', '1', 'no'], 'boolean'],
    ['ISO dates', ['2024-01-31', '1999-12-01'], 'date'],
    ['YYYY/MM/DD dates', ['2024/01/31', '2024/2/3'], 'date'],
    ['US dates', ['01/31/2024', '12/01/2023'], 'date'],
    ['day-first dates', ['31/01/2024', '01/12/2023'], 'date'],
    ['dates in several formats', ['2024-01-31', '01/30/2024', '2024/01/29'], 'date'],
    ['ISO timestamps with T and zone', ['2024-01-31T10:00:00Z', '2024-01-31T10:00:00.123+02:00'], 'timestamp'],
    ['timestamps with a space, no zone', ['2024-01-31 10:00:00', '2024-01-31 23:59'], 'timestamp'],
    ['dates mixed with timestamps', ['2024-01-31', '2024-01-31T10:00:00'], 'timestamp'],
    ['12-hour clock', ['1/5/2024 9:15 PM', '12/31/2023 12:00 AM'], 'timestamp'],
    ['leading zeros are codes', ['007', '012', '100'], 'string'],
    ['numbers mixed with words', ['1', 'two', '3'], 'string'],
    ['invalid calendar date', ['2024-02-30', '2024-01-01'], 'string'],
    ['inconsistent day/month order', ['13/01/2024', '01/13/2024'], 'string'],
    ['numbers mixed with dates', ['2024-01-01', '5'], 'string'],
    ['two-digit years are not dates', ['1/2/24', '3/4/24'], 'string'],
    ['all null', ['', 'NULL', 'N/A'], 'string'],
    ['NaN and Infinity are not numbers', ['Infinity', '1'], 'string'],
  ])('%s → %s', async (_name, values, expected) => {
    expect((await profileColumn(values)).inferredType).toBe(expected);
  });

  it('reads comma decimals when the whole column reads that way', async () => {
    const c = await profileColumn(['1,5', '2,25', '1.234,5'], { delimiter: ';' });
    expect(c.inferredType).toBe('decimal');
    expect(c.numeric).toMatchObject({ decimalSeparator: ',', groupingSeparator: '.', scale: 2, integerDigits: 4, precision: 6 });
    expect(c.min).toBe(1.5);
    expect(c.max).toBe(1234.5);
  });

  it('derives precision and scale from the observed digits', async () => {
    const c = await profileColumn(['12345.6', '-0.001', '99']);
    expect(c.numeric).toMatchObject({ integerDigits: 5, scale: 3, precision: 8, decimalSeparator: '.', exponent: false });
  });

  it('resolves ambiguous day/month dates per column and by option', async () => {
    const ambiguous = ['03/04/2024', '05/06/2024'];
    expect((await profileColumn(ambiguous)).temporal).toMatchObject({ dayFirst: false, formats: ['MM/DD/YYYY'] });
    expect((await profileColumn(ambiguous)).min).toBe('2024-03-04');
    expect((await profileColumn(ambiguous, { dayFirst: true })).min).toBe('2024-04-03');
    expect((await profileColumn(['03.04.2024', '05.06.2024'])).temporal?.dayFirst).toBe(true);
    expect((await profileColumn(['03/04/2024', '25/06/2024'])).temporal?.dayFirst).toBe(true);
  });

  it('reports timezone presence of timestamps', async () => {
    expect((await profileColumn(['2024-01-01T00:00:00Z', '2024-01-02T00:00:00+01:00'])).temporal?.timezone).toBe('all');
    expect((await profileColumn(['2024-01-01 00:00:00', '2024-01-02 00:00'])).temporal?.timezone).toBe('none');
    expect((await profileColumn(['2024-01-01T00:00:00Z', '2024-01-02 00:00'])).temporal?.timezone).toBe('mixed');
  });
});

describe('typed min/max', () => {
  it('is numeric for numbers, not lexical', async () => {
    const c = await profileColumn(['9', '10', '100', '-5']);
    expect([c.min, c.max]).toEqual([-5, 100]);
    expect(c.mean).toBeCloseTo(28.5, 10);
    expect(c.stddev).toBeCloseTo(Math.sqrt(((9 - 28.5) ** 2 + (10 - 28.5) ** 2 + (100 - 28.5) ** 2 + (-5 - 28.5) ** 2) / 3), 10);
  });

  it('is chronological for dates and timestamps', async () => {
    const d = await profileColumn(['12/31/2023', '01/02/2024', '2023-06-15']);
    expect([d.min, d.max]).toEqual(['2023-06-15', '2024-01-02']);
    const t = await profileColumn(['2024-01-01T10:00:00+02:00', '2024-01-01T09:00:00Z']);
    expect([t.min, t.max]).toEqual(['2024-01-01T08:00:00.000Z', '2024-01-01T09:00:00.000Z']);
  });

  it('is lexical for strings, with lengths', async () => {
    const c = await profileColumn(['pear', 'Apple', 'banana']);
    expect([c.min, c.max]).toEqual(['Apple', 'pear']);
    expect([c.minLength, c.maxLength]).toEqual([4, 6]);
    expect(c.mean).toBeNull();
  });
});

describe('nulls', () => {
  it('recognises the default null spellings and whitespace-only cells', async () => {
    const c = await profileColumn(['', 'NULL', 'null', 'NA', 'N/A', '\\N', '   ', '5']);
    expect(c.nullCount).toBe(7);
    expect(c.nonNullCount).toBe(1);
    expect(c.inferredType).toBe('integer');
  });

  it('uses configured null values only', async () => {
    const c = await profileColumn(['-', 'NULL', '5'], { nullValues: ['-'], whitespaceIsNull: false });
    expect(c.nullCount).toBe(1);
    expect(c.inferredType).toBe('string');
  });

  it('matcher is exact and case-sensitive', () => {
    const isNull = createNullMatcher(DEFAULT_NULL_VALUES, true);
    expect(isNull('NULL')).toBe(true);
    expect(isNull('nUlL')).toBe(false);
    expect(isNull(' \t ')).toBe(true);
    expect(isNull(' x ')).toBe(false);
    expect(createNullMatcher(['NULL'], false)('')).toBe(false);
  });
});

describe('scanners', () => {
  it('number scan reads both conventions', () => {
    const s = createNumberScan();
    expect(scanNumber('1.234', s)).toBe(true);
    expect(s.dot).toMatchObject({ valid: true, integer: false, scale: 3 });
    expect(s.comma).toMatchObject({ valid: true, integer: true, grouped: true, intDigits: 4 });
    expect(scanNumber('1,23,4', s)).toBe(false);
    expect(scanNumber('00.5', s)).toBe(false);
    expect(scanNumber('-', s)).toBe(false);
    expect(scanNumber('1e', s)).toBe(false);
    expect(scanNumber('12 345', s)).toBe(false);
  });

  it('computes values from the scanned digits exactly as Number() parses the text', () => {
    const s = createNumberScan();
    const random = mulberry32(3);
    const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
    const fixed = ['0', '-0', '-0.0', '+7', '.5', '5.', '0.1', '0.3', '9007199254740993', '123456789012345', '1234567890.12345', '1,234,567.891', '1.234.567,891', '-12,5'];
    const samples = [...fixed];
    for (let k = 0; k < 3000; k++) {
      const sign = random() < 0.2 ? '-' : '';
      const int = random() < 0.1 ? '0' : String(1 + Math.floor(random() * 9)) + digits(Math.floor(random() * 9));
      const frac = random() < 0.3 ? '' : `${random() < 0.5 ? '.' : ','}${digits(1 + Math.floor(random() * 8))}`;
      samples.push(sign + int + frac);
    }
    let fast = 0;
    for (const v of samples) {
      expect(scanNumber(v, s)).toBe(true);
      if (s.dot.valid) {
        const x = scaledValue(s, s.dot.scale);
        if (!Number.isNaN(x)) {
          fast++;
          expect([v, Object.is(x, dotValue(v, s.dot.grouped))]).toEqual([v, true]);
        }
      }
      if (s.comma.valid) {
        const x = scaledValue(s, s.comma.scale);
        if (!Number.isNaN(x)) expect([v, Object.is(x, commaValue(v, s.comma.grouped))]).toEqual([v, true]);
      }
    }
    expect(fast).toBeGreaterThan(2000);
    // More than 15 digits or an exponent: no shortcut.
    scanNumber('9007199254740993', s);
    expect(scaledValue(s, 0)).toBeNaN();
    scanNumber('1.5e3', s);
    expect(scaledValue(s, 1)).toBeNaN();
  });

  it('temporal scan validates calendars and clocks', () => {
    const t = createTemporalScan();
    expect(scanTemporal('2024-02-29', t)).toBe(true);
    expect(scanTemporal('2023-02-29', t)).toBe(false);
    expect(scanTemporal('2024-01-01T24:00:00', t)).toBe(false);
    expect(scanTemporal('2024-01-01T10:60', t)).toBe(false);
    expect(scanTemporal('2024-01-01 10:00:00 +0530', t)).toBe(true);
    expect(t.keyYmd).toBe(Date.UTC(2024, 0, 1, 4, 30));
    expect(scanTemporal('2024-01-01 13:00 PM', t)).toBe(false);
    expect(scanTemporal('20240101', t)).toBe(false);
    expect(scanTemporal('2024-01-01x', t)).toBe(false);
  });

  it('booleans', () => {
    expect(wordBoolean('Yes')).toBe(true);
    expect(wordBoolean('0')).toBeUndefined();
    expect(parseBoolean('0')).toBe(false);
    expect(parseBoolean('maybe')).toBeUndefined();
  });
});
