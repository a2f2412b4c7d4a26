import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsv, type ReaderEngine } from '../../src/workflows/builtin/csv/lib/csv-reader.js';
import { PapaPieceParser } from '../../src/workflows/builtin/csv/lib/papa-pieces.js';
import { mulberry32 } from '../../src/workflows/builtin/csv/lib/prng.js';
import { CsvReadOptions } from '../../src/workflows/builtin/csv/lib/read-options.js';
import { parseSample } from '../../src/workflows/builtin/csv/lib/sample-parse.js';
import { syntheticCsv } from '../../src/workflows/builtin/csv/lib/synthetic-csv.js';

const fixtures = fileURLToPath(new URL('../fixtures/csv/', import.meta.url));

async function* chunks(data: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

/** Reads `data` and returns everything the reader reports, records with their lines included. */
async function read(data: string | Buffer, opts: CsvReadOptions, chunk: number, engine: ReaderEngine) {
  const records: [string[], number, number | null][] = [];
  let columns: string[] = [];
  const r = await readCsv(
    chunks(data, chunk),
    CsvReadOptions.parse(opts),
    {
      start(info) {
        columns = info.columns;
      },
      record(cells, row, line) {
        records.push([cells.slice(), row, line()]);
      },
    },
    {},
    engine,
  );
  const { csvParseFrom, issues, ...rest } = r;
  // Error messages and lines are worded differently; the code and what was read must agree.
  const parseError = issues.parseError === null ? null : issues.parseError.code;
  return { csvParseFrom, same: { ...rest, columns, records, issues: { ...issues, parseError } } };
}

/** Asserts that the default reader and the csv-parse reference read `data` identically. */
async function expectSameAsCsvParse(data: string | Buffer, opts: CsvReadOptions = {}, sizes = [1, 2, 3, 7, 64, 1 << 20]) {
  const reference = await read(data, opts, 1 << 20, 'csv-parse');
  expect(reference.csvParseFrom).not.toBeNull();
  const fromLines: (number | null)[] = [];
  for (const size of sizes) {
    const auto = await read(data, opts, size, 'auto');
    const input = typeof data === 'string' ? data : `${data.length} bytes`;
    expect({ input, size, ...auto.same }).toEqual({ input, size, ...reference.same });
    fromLines.push(auto.csvParseFrom);
  }
  return fromLines;
}

const CASES: [string, string][] = [
  ['LF', 'a,b\n1,2\n3,4\n'],
  ['CRLF', 'a,b\r\n1,2\r\n3,4\r\n'],
  ['CR', 'a,b\r1,2\r3,4\r'],
  ['LF mixed with CRLF', 'a,b\r\n1,2\n3,4\r\n5,6'],
  ['lone CR mixed with LF', 'a,b\r\n1,2\n3,4\r5,6\r\n7,8\n'],
  ['no final line break', 'a,b\n1,2\n3,"x"'],
  ['final lone CR', 'a,b\n1,"2"\r'],
  ['quoted delimiters, quotes and line breaks', 'id,t\n1,"a,b"\n2,"say ""hi"""\n3,"l1\nl2\r\nl3"\n4,""\n5,"x\ry"\n'],
  ['quoted line break in CRLF file', 'id,t\r\n1,"a\r\nb"\r\n2,"c\nd"\r\n3,"e"\r\n'],
  ['blank lines', '\n\na,b\n\n1,2\r\n\r\n\n3,4\n\n'],
  ['one-column file with quoted empties', 'v\n""\n1\n\n""\n2\n'],
  ['one-column file with quoted empties and CRLF', 'v\r\n""\r\n1\r\n\r\n""\r\n'],
  ['stray quotes in unquoted fields', 'n,s\n1,12" pizza\n2,5\'11"\n3,a""b\n'],
  ['text after a closing quote', 'a,b\n"x"y,2\n"p"q\nr,3\n4,5\n'],
  ['spaces after a closing quote', 'a,b\n"x" ,2\n"y"\t\n3,"z"  \n4,5\n'],
  ['quote then CR CR LF', 'a,b\n1,"x"\r\r\n2,3\n'],
  ['unclosed quote', 'a,b\n1,2\n3,"never\nclosed\n'],
  ['ragged rows', 'a,b,c\n1,2\n1,2,3,4\n\n5\n6,7,8\n'],
  ['multi-line records then ragged ones', 'a,b\n"1\n1",2\n3\n"4\n\n4",5,6\n7,8\n'],
  ['header only', 'alpha,beta\n'],
  ['empty', ''],
  ['only blank lines', '\n\r\n\n'],
  ['BOM', '\uFEFFa,b\r\n1,2\r\n'],
];

describe('papaparse reader matches the csv-parse reference', () => {
  it.each(CASES)('%s', async (_name, text) => {
    await expectSameAsCsvParse(text, { delimiter: ',', quote: '"', escape: '"' });
  });

  it('matches with detection, header handling and preamble lines', async () => {
    await expectSameAsCsvParse('Report\r\nGenerated today\r\nid;v\r\n1;"a;b"\r\n\r\n2;x\r\n', { skipLines: 2 });
    await expectSameAsCsvParse('sep=|\na|b\n1|2\n');
    await expectSameAsCsvParse("id,name\n1,'Smith, John'\n2,'Doe, Jane'\n");
    await expectSameAsCsvParse('x\ty\n"1\t2"\t3\n4\t"5"\n', { header: false });
  });

  it('matches on every fixture', async () => {
    for (const name of readdirSync(fixtures)) {
      const data = readFileSync(fixtures + name);
      const opts: CsvReadOptions = name === 'latin1.csv' ? { encoding: 'latin1' } : {};
      await expectSameAsCsvParse(data, opts, [5, 64, 1 << 20]);
    }
  });

  it('matches on random text full of quotes, delimiters and line breaks', async () => {
    const random = mulberry32(7);
    const alphabet = ['a', 'b', 'é', ',', ',', '"', '"', '""', '\n', '\n', '\r\n', '\r', ' ', '\t'];
    for (let n = 0; n < 150; n++) {
      let text = '';
      const len = Math.floor(random() * 60);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const sizes = [1 + Math.floor(random() * 9), 1 << 20];
      await expectSameAsCsvParse(text, { delimiter: ',', quote: '"', escape: '"', header: false }, sizes);
    }
  });

  it('matches on random well-formed CSV (quoted line breaks, doubled quotes, blank lines, LF and CRLF)', async () => {
    const random = mulberry32(41);
    const pick = <T,>(a: T[]): T => a[Math.floor(random() * a.length)]!;
    let papaOnly = 0;
    for (let n = 0; n < 120; n++) {
      let text = '';
      const rows = Math.floor(random() * 12);
      for (let r = 0; r < rows; r++) {
        if (random() < 0.1) text += pick(['\n', '\r\n']);
        const fields: string[] = [];
        for (let f = 1 + Math.floor(random() * 4); f > 0; f--) {
          const quoted = random() < 0.4;
          let v = '';
          for (let k = Math.floor(random() * 6); k > 0; k--) {
            v += quoted ? pick(['a', 'é', ',', '""', '\n', '\r\n', ' ', 'x y']) : pick(['a', '1', ' ', 'é', random() < 0.05 ? '"' : 'b']);
          }
          fields.push(quoted ? `"${v}"` : v);
        }
        text += fields.join(',');
        if (r < rows - 1 || random() < 0.7) text += pick(['\n', '\n', '\r\n']);
      }
      const from = await expectSameAsCsvParse(text, { delimiter: ',', quote: '"', escape: '"', header: false }, [1 + Math.floor(random() * 9), 1 << 20]);
      if (from.every((f) => f === null)) papaOnly++;
    }
    // Most of them never needed csv-parse.
    expect(papaOnly).toBeGreaterThan(60);
  });

  it('keeps papaparse for well-formed files and hands over at the first malformed record', async () => {
    const opts = { delimiter: ',', quote: '"', escape: '"' };
    expect(await expectSameAsCsvParse('a,b\n1,"x\ny"\n2,"q""q"\r\n\n3,4\n', opts)).toEqual([null, null, null, null, null, null]);
    const body = 'a,b\n' + '1,2\n'.repeat(50) + '"x"y,3\n' + '5,6\n'.repeat(10);
    // The reader switches at a record boundary at or before line 52 (the malformed record).
    for (const from of await expectSameAsCsvParse(body, opts)) {
      expect(from).not.toBeNull();
      expect(from!).toBeLessThanOrEqual(52);
    }
    // Options papaparse cannot honour: csv-parse from the first line.
    expect(await expectSameAsCsvParse('a,b\n"x\\"y",2\n', { escape: '\\' }, [3])).toEqual([1]);
    expect(await expectSameAsCsvParse('a , b\n 1 ," 2 "\n', { trim: true }, [3])).toEqual([1]);
  });

  it('reads the synthetic benchmark data with papaparse alone', async () => {
    const r = await readCsv(syntheticCsv({ bytes: 2e6 }), CsvReadOptions.parse({}), { start() {}, record() {} });
    expect(r.csvParseFrom).toBeNull();
    expect(r.rowCount).toBeGreaterThan(15_000);
  });
});

describe('papaparse reader limits', () => {
  it('stops a runaway quoted field at maxRecordSize with the line it starts on', async () => {
    const text = `a,b\n1,2\n3,"${'x\n'.repeat(20_000)}`;
    for (const size of [1000, 1 << 20]) {
      const { same, csvParseFrom } = await read(text, { maxRecordSize: 10_000 }, size, 'auto');
      expect(csvParseFrom).toBeNull();
      expect(same.complete).toBe(false);
      expect(same.issues.parseError).toBe('CSV_MAX_RECORD_SIZE');
      expect(same.records.map((r) => r[0])).toEqual([['1', '2']]);
    }
  });

  it('reports where an unclosed quote starts', async () => {
    const r = await readCsv(chunks('a,b\n1,2\n\n3,"open\n\nstill\n', 4), CsvReadOptions.parse({}), { start() {}, record() {} });
    expect(r.issues.parseError).toMatchObject({ code: 'CSV_QUOTE_NOT_CLOSED', line: 4 });
    expect(r.rowCount).toBe(1);
  });

  it('gives line numbers of records after multi-line ones, on demand', async () => {
    const { same } = await read('h\n"a\nb"\n\nc\r\n"d\r\ne\r\nf"\ng\n', { header: true, delimiter: ',' }, 3, 'auto');
    expect(same.records.map((r) => r[2])).toEqual([2, 5, 6, 9]);
  });
});

describe('PapaPieceParser', () => {
  const parser = (newline: '\n' | '\r' = '\n') => new PapaPieceParser({ delimiter: ',', quote: '"', newline });

  it('leaves an incomplete last record (and a CR that may start a CRLF) for the next piece', () => {
    const p = parser().parse('a,b\r\n"c\nd",e\r', false)!;
    expect(p.rows).toEqual([['a', 'b']]);
    expect(p.consumed).toBe(5);
  });

  it('declines what csv-parse reads differently', () => {
    expect(parser().parse('"a"b,c\n', true)).toBeNull();
    expect(parser().parse('"a" ,c\n', true)).toBeNull();
    expect(parser().parse('a\rb\n', true)).toBeNull();
    expect(parser().parse('""\n\n', true)).toBeNull();
    expect(parser('\r').parse('a\rb\n', true)).toBeNull();
    // …but not what it reads the same way.
    expect(parser().parse('"a"\r\n"b",""\n\n', true)!.rows).toEqual([['a'], ['b', ''], ['']]);
  });

  it('parses detection samples like csv-parse', () => {
    const text = 'a,b\n1,"x\n\ny"\n\n2,"q""\n3,4';
    const opts = { delimiter: ',', quote: '"', escape: '"', trim: false, maxRecords: 10 };
    expect(parseSample(text, { ...opts, complete: true })).toEqual([['a', 'b'], ['1', 'x\n\ny']]);
    expect(parseSample('a;b\n1;2\n3;', { ...opts, delimiter: ';', complete: false })).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseSample('"a" ,b\n', { ...opts, complete: true })).toEqual([['"a" ', 'b']]);
  });
});
