import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { CsvProfile, profileCsv } from '../../src/workflows/builtin/csv/lib/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

async function* chunks(data: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('profileCsv on messy fixtures', () => {
  it('counts and samples ragged rows; missing cells count as nulls', async () => {
    const p = await profileCsv(createReadStream(fixture('ragged-rows.csv')));
    expect(p.rowCount).toBe(6);
    expect(p.issues.raggedRows.count).toBe(3);
    expect(p.issues.raggedRows.samples).toEqual([
      { row: 2, line: 3, fieldCount: 2, expected: 3 },
      { row: 3, line: 4, fieldCount: 4, expected: 3 },
      { row: 5, line: 6, fieldCount: 1, expected: 3 },
    ]);
    expect(p.columns.map((c) => c.nullCount)).toEqual([0, 1, 2]);
    expect(p.columns[2]!.max).toBe(16);
  });

  it('counts invalid UTF-8 sequences with the rows they are in', async () => {
    for (const size of [3, 1 << 16]) {
      const p = await profileCsv(createReadStream(fixture('invalid-utf8.csv'), { highWaterMark: size }));
      expect(p.rowCount).toBe(6);
      expect(p.issues.encodingErrors.count).toBe(3);
      expect(p.issues.encodingErrors.rowCount).toBe(3);
      expect(p.issues.encodingErrors.samples.map((s) => [s.row, s.column])).toEqual([
        [2, 'name'],
        [4, 'city'],
        [5, 'name'],
      ]);
      expect(p.issues.encodingErrors.suggestedEncoding).toBe('windows-1252');
      // Valid multi-byte text is not counted.
      expect(p.columns[2]!.sampleValues).toContain('Zürich');
    }
  });

  it('reports no encoding errors for valid UTF-8 split at every byte', async () => {
    const p = await profileCsv(chunks('name\nÅsa\nΔέλτα\n😀 ok\n', 1));
    expect(p.issues.encodingErrors.count).toBe(0);
    expect(p.columns[0]!.sampleValues).toEqual(['Åsa', 'Δέλτα', '😀 ok']);
  });

  it('handles quoted delimiters, newlines and escaped quotes, with start lines', async () => {
    const p = await profileCsv(createReadStream(fixture('quoted-newlines.csv'), { highWaterMark: 5 }));
    expect(p.rowCount).toBe(5);
    const comments = p.columns[1]!.sampleValues;
    expect(comments).toContain('Line one\nLine two\nLine three');
    expect(comments).toContain('She said "wow" twice');
    expect(comments).toContain('Comma, and "quote" and\nnewline');
    expect(p.columns[2]!.inferredType).toBe('integer');
    expect(p.issues.raggedRows.count).toBe(0);
  });

  it('skips and counts blank lines', async () => {
    const p = await profileCsv(createReadStream(fixture('blank-lines.csv')));
    expect(p.rowCount).toBe(2);
    expect(p.issues.blankLines).toBe(4);
    expect(p.columns.map((c) => c.name)).toEqual(['x', 'y']);
  });

  it('stops at an unclosed quote and reports it instead of throwing', async () => {
    const p = await profileCsv(createReadStream(fixture('unclosed-quote.csv')));
    expect(p.complete).toBe(false);
    expect(p.issues.parseError?.code).toBe('CSV_QUOTE_NOT_CLOSED');
    expect(p.rowCount).toBe(1);
  });

  it('bounds memory for a runaway quoted field with maxRecordSize', async () => {
    const text = `a,b\n1,"${'x'.repeat(50_000)}`;
    const p = await profileCsv(chunks(text, 4096), { maxRecordSize: 10_000 });
    expect(p.complete).toBe(false);
    expect(p.issues.parseError?.code).toBe('CSV_MAX_RECORD_SIZE');
  });

  it('profiles the European semicolon fixture', async () => {
    const p = await profileCsv(createReadStream(fixture('semicolon-european.csv')));
    const by = Object.fromEntries(p.columns.map((c) => [c.name, c]));
    expect(by['Betrag']).toMatchObject({ inferredType: 'decimal', min: 0.99, max: 12500 });
    expect(by['Rabatt %']).toMatchObject({ inferredType: 'decimal', nullCount: 1, max: 10 });
    expect(by['Bestelldatum']).toMatchObject({ inferredType: 'date', min: '2024-01-03', max: '2024-03-12' });
    expect(by['Prénom']!.topValues.map((t) => t.value)).toContain('Müller; Hans');
  });

  it('profiles the nulls fixture', async () => {
    const p = await profileCsv(createReadStream(fixture('nulls.csv')));
    expect(p.columns.map((c) => [c.name, c.inferredType, c.nullCount])).toEqual([
      ['id', 'integer', 0],
      ['score', 'integer', 6],
      ['label', 'string', 5],
    ]);
  });

  it('gives the same profile whatever the chunking', async () => {
    const bytes = readFileSync(fixture('dates-formats.csv'));
    const whole = await profileCsv(chunks(bytes, bytes.length));
    const tiny = await profileCsv(chunks(bytes, 1));
    expect(tiny).toEqual(whole);
    expect(whole.bytesRead).toBe(bytes.length);
  });

  it('renames empty and duplicate header names and reports them', async () => {
    const p = await profileCsv(chunks(' id ,,name,name\n1,2,a,b\n3,4,c,d\n', 64), { header: true });
    expect(p.columns.map((c) => c.name)).toEqual(['id', 'column_2', 'name', 'name_2']);
    expect(p.issues.renamedColumns.map((r) => r.name)).toEqual(['id', 'column_2', 'name_2']);
  });

  it('analyses at most maxColumns columns', async () => {
    const p = await profileCsv(chunks('a,b,c,d\n1,2,3,4\n', 64), { maxColumns: 2 });
    expect(p.columnCount).toBe(2);
    expect(p.issues.ignoredColumns).toBe(2);
    expect(p.issues.raggedRows.count).toBe(0);
  });

  it('accepts a Readable of strings, empty input and header-only input', async () => {
    const s = await profileCsv(Readable.from(['a,b\n', '1,2\n'], { objectMode: true }));
    expect(s.rowCount).toBe(1);
    const empty = await profileCsv(Readable.from([]));
    expect(empty).toMatchObject({ rowCount: 0, columnCount: 0, bytesRead: 0, complete: true });
    const headerOnly = await profileCsv(chunks('alpha,beta\n', 4));
    expect(headerOnly.columns.map((c) => [c.name, c.inferredType, c.min])).toEqual([
      ['alpha', 'string', null],
      ['beta', 'string', null],
    ]);
  });

  it('produces output that satisfies its own schema and is JSON-safe', async () => {
    const p = await profileCsv(createReadStream(fixture('mixed-types.csv')));
    expect(CsvProfile.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });

  it('rejects invalid options with ValidationError', async () => {
    await expect(profileCsv(chunks('a\n1\n', 2), { delimiter: '\n' })).rejects.toBeInstanceOf(ValidationError);
    await expect(profileCsv(chunks('a\n1\n', 2), { topK: -1 } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(profileCsv(chunks('a\n1\n', 2), { nope: 1 } as never)).rejects.toThrow(/nope/);
  });

  it('reports progress and honours an abort signal', async () => {
    const seen: number[] = [];
    await profileCsv(chunks(`v\n${'1\n'.repeat(20_000)}`, 1000), {}, { onProgress: (p) => seen.push(p.bytesRead), progressEveryBytes: 10_000 });
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.at(-1)).toBe(40_002);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(profileCsv(chunks('a\n1\n', 2), {}, { signal: ac.signal })).rejects.toThrow('stop');
  });
});
