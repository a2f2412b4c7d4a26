import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectDialect, detectHeader, detectLineEnding, detectQuote } from '../../src/workflows/builtin/csv/lib/dialect-detect.js';
import { createNullMatcher, DEFAULT_NULL_VALUES } from '../../src/workflows/builtin/csv/lib/null-values.js';
import { profileCsv } from '../../src/workflows/builtin/csv/lib/profile-csv.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
const isNull = createNullMatcher(DEFAULT_NULL_VALUES, true);
const detect = (text: string, extra: Partial<Parameters<typeof detectDialect>[1]> = {}) =>
  detectDialect(text, { trim: false, isNull, complete: true, ...extra });

async function* chunks(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const b = typeof text === 'string' ? Buffer.from(text) : text;
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('delimiter detection', () => {
  it.each([
    ['comma', 'a,b,c\n1,2,3\n4,5,6\n', ','],
    ['semicolon with comma decimals', 'name;price;qty\nx;1,5;2\ny;2,25;3\nz;0,5;1\n', ';'],
    ['tab with commas in text', 'id\tnote\tn\n1\tred, blue\t3\n2\tgreen\t4\n3\ta, b, c\t5\n', '\t'],
    ['pipe', 'a|b|c\n1|2|3\n4|5|6\n', '|'],
    ['comma with quoted semicolons', 'id,text,n\n1,"a;b;c",2\n2,"d;e",3\n3,"f",4\n', ','],
    ['comma with quoted newlines spanning lines', 'id,text\n1,"a\nb;c;d"\n2,"e"\n3,"f\ng"\n', ','],
  ])('%s', (_name, text, expected) => {
    expect(detect(text).delimiter).toBe(expected);
  });

  it('falls back to comma for single-column input', () => {
    expect(detect('value\n1\n2\n3\n').delimiter).toBe(',');
  });

  it('keeps a given delimiter and says it was not detected', () => {
    const d = detect('a;b\n1;2\n', { delimiter: '|' });
    expect(d.delimiter).toBe('|');
    expect(d.detected.delimiter).toBe(false);
    expect(d.detected.header).toBe(true);
  });

  it('ignores a cut record at the end of an incomplete sample', () => {
    const text = 'a,b,c\n1,2,3\n4,5,6\n7,"unfinished';
    expect(detect(text, { complete: false }).modalFieldCount).toBe(3);
  });
});

describe('quote detection', () => {
  it('prefers double quotes and finds single-quote quoting only when unambiguous', () => {
    expect(detectQuote('a,b\n"x, y",2\n')).toBe('"');
    expect(detectQuote("id,name\n1,'Smith, John'\n2,'Doe, Jane'\n")).toBe("'");
    expect(detectQuote("id,name\n1,O'Brien\n2,D'Arcy\n")).toBe('"');
  });
});

describe('header detection', () => {
  const rows = (text: string): string[][] => text.trim().split('\n').map((l) => l.split(','));
  it.each([
    ['names over typed values', 'id,price,when\n1,2.5,2024-01-01\n2,3.5,2024-01-02', true],
    ['numeric first row', '1,2.5,2024-01-01\n2,3.5,2024-01-02', false],
    ['date in first row', 'x,2024-01-01\ny,2024-01-02', false],
    ['header value repeated in data', 'red,blue\nred,green\nblue,red', false],
    ['single-letter names over numbers', 'x,y\n1,2\n3,4', true],
    ['boolean first row over booleans', 'true,no\nfalse,yes\ntrue,no', false],
    ['strings with fixed-length codes', 'country,code\nFrance,FRA\nSpain,ESP\nItaly,ITA', true],
    ['header only', 'a,b,c', true],
    ['duplicate names over strings', 'name,name\nann,bob\ncy,dee', false],
  ])('%s', (_name, text, expected) => {
    expect(detectHeader(rows(text), isNull)).toBe(expected);
  });

  it('can be overridden', async () => {
    const p = await profileCsv(chunks('1,2\n3,4\n', 3), { header: true });
    expect(p.dialect.header).toBe(true);
    expect(p.dialect.detected.header).toBe(false);
    expect(p.columns.map((c) => c.name)).toEqual(['1', '2']);
    expect(p.rowCount).toBe(1);
  });
});

describe('line endings, BOM and encodings', () => {
  it('classifies line endings', () => {
    expect(detectLineEnding('a\nb\n')).toBe('lf');
    expect(detectLineEnding('a\r\nb\r\n')).toBe('crlf');
    expect(detectLineEnding('a\rb\r')).toBe('cr');
    expect(detectLineEnding('a\r\nb\n')).toBe('mixed');
    expect(detectLineEnding('abc')).toBe('none');
  });

  it('reads BOM + CRLF without leaking either into values', async () => {
    const p = await profileCsv(createReadStream(fixture('bom-crlf.csv'), { highWaterMark: 7 }));
    expect(p.dialect).toMatchObject({ bom: true, lineEnding: 'crlf', encoding: 'utf8', header: true });
    expect(p.columns[0]!.name).toBe('order_id');
    expect(p.columns[3]!.max).toBe('2024-01-08');
    expect(p.columns[1]!.topValues.map((t) => t.value)).toContain('Initech, LLC');
  });

  it('splits records on CR, LF and CRLF mixed in one file', async () => {
    const p = await profileCsv(chunks('a,b\r\n1,2\n3,4\r5,6\r\n', 4));
    expect(p.rowCount).toBe(3);
    expect(p.columns[1]!.max).toBe(6);
    expect(p.dialect.lineEnding).toBe('mixed');
  });

  it('detects UTF-16LE from its byte-order mark', async () => {
    const p = await profileCsv(createReadStream(fixture('utf16le.csv'), { highWaterMark: 5 }));
    expect(p.dialect.encoding).toBe('utf16le');
    expect(p.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(p.columns[1]!.sampleValues.sort()).toEqual(['Émile', 'Łukasz']);
  });

  it('decodes latin1 (as windows-1252) when asked', async () => {
    const p = await profileCsv(createReadStream(fixture('latin1.csv')), { encoding: 'latin1' });
    expect(p.issues.encodingErrors.count).toBe(0);
    expect(p.columns[1]!.sampleValues).toContain('Crème brûlée');
    expect(p.columns[1]!.sampleValues).toContain('Naïve “quote”');
  });

  it('profiles each fixture with the expected dialect', async () => {
    const cases: [string, string, boolean][] = [
      ['semicolon-european.csv', ';', true],
      ['tab-separated.tsv', '\t', true],
      ['pipe-delimited.psv', '|', true],
      ['no-header.csv', ',', false],
      ['quoted-newlines.csv', ',', true],
      ['single-quote.csv', ',', true],
    ];
    for (const [file, delimiter, header] of cases) {
      const p = await profileCsv(createReadStream(fixture(file), { highWaterMark: 11 }));
      expect({ file, delimiter: p.dialect.delimiter, header: p.dialect.header }).toEqual({ file, delimiter, header });
    }
  });
});

describe('real-world quirks', () => {
  it('honours a spreadsheet `sep=` line', async () => {
    const p = await profileCsv(chunks('sep=;\r\na;b\r\n1,5;x\r\n2,5;y\r\n', 5));
    expect(p.dialect.delimiter).toBe(';');
    expect(p.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(p.rowCount).toBe(2);
    expect(p.columns[0]!.inferredType).toBe('decimal');
  });

  it('skips preamble lines on request, keeping line numbers', async () => {
    const p = await profileCsv(chunks('Sales report\nGenerated 2024-01-01\nid,v\n1,2\n3\n', 4), { skipLines: 2 });
    expect(p.columns.map((c) => c.name)).toEqual(['id', 'v']);
    expect(p.issues.raggedRows.samples).toEqual([{ row: 2, line: 5, fieldCount: 1, expected: 2 }]);
  });

  it('detects UTF-16 without a byte-order mark', async () => {
    const le = Buffer.from('id,name\n1,Zoë\n2,Ana\n', 'utf16le');
    const p = await profileCsv(chunks(le, 7));
    expect(p.dialect.encoding).toBe('utf16le');
    expect(p.columns[1]!.sampleValues).toEqual(['Zoë', 'Ana']);
    const be = Buffer.from(le).swap16();
    expect((await profileCsv(chunks(be, 64))).dialect.encoding).toBe('utf16be');
  });

  it('detects backslash-escaped quotes', async () => {
    const p = await profileCsv(chunks('id,quote\n1,"He said \\"hi\\""\n2,"plain"\n', 64));
    expect(p.dialect.escape).toBe('\\');
    expect(p.columns[1]!.sampleValues).toEqual(['He said "hi"', 'plain']);
    const rfc = await profileCsv(chunks('id,quote\n1,"He said ""hi"""\n2,"C:\\temp\\"\n', 64));
    expect(rfc.dialect.escape).toBe('"');
  });

  it('classifies padded values without their spaces and keeps stray quotes', async () => {
    const p = await profileCsv(chunks('n, flag ,size\n 12 , yes ,12" pizza\n7,no,5\'11"\n', 64));
    expect(p.columns.map((c) => c.inferredType)).toEqual(['integer', 'boolean', 'string']);
    expect(p.columns[2]!.sampleValues).toEqual(['12" pizza', '5\'11"']);
    expect(p.columns[0]!.max).toBe(12);
  });
});
