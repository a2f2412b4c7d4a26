import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { generateDdl, profileCsv, type CsvProfile } from '../../src/workflows/builtin/csv/lib/index.js';
import { sanitizeIdentifier } from '../../src/workflows/builtin/csv/lib/ddl/identifiers.js';

async function* once(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

const CSV = [
  'Order ID,select,2nd Total,amount,ratio,is_active,shipped_on,created_at,updated_local,notes,huge_id,empty,Rabatt %,note',
  '1,a,10,1234.56,1.5e-3,true,2024-01-05,2024-01-05T10:00:00Z,2024-01-05 10:00:00,hello,12345678901234567890123,,5,x',
  '2,b,20,-0.5,2.0E2,false,2024-01-06,2024-01-06T11:30:00+01:00,2024-01-06 11:30:00,,42,,7,y',
  '3,c,30,99999.9,3,yes,2024-01-07,2024-01-07T12:00:00Z,2024-01-07 12:00:00,"a ""quoted"" note",7,,9,z',
].join('\n');

let profile: CsvProfile;
const ddl = async (opts: Parameters<typeof generateDdl>[1]): Promise<string> => {
  profile ??= await profileCsv(once(CSV));
  return generateDdl(profile, opts);
};
const columnLine = (sql: string, name: string): string => sql.split('\n').find((l) => l.trimStart().startsWith(name)) ?? '';

describe('generateDdl types per dialect', () => {
  it('postgres', async () => {
    const sql = await ddl({ dialect: 'postgres', table: 'orders', schema: 'public' });
    expect(sql).toContain('CREATE TABLE public.orders (');
    expect(columnLine(sql, 'order_id')).toMatch(/^ {2}order_id +BIGINT NOT NULL,/);
    expect(columnLine(sql, '"select"')).toMatch(/"select" +TEXT NOT NULL,/);
    expect(columnLine(sql, '_2nd_total')).toMatch(/BIGINT NOT NULL,/);
    expect(columnLine(sql, 'amount')).toMatch(/NUMERIC\(7,2\) NOT NULL,/);
    expect(columnLine(sql, 'ratio')).toMatch(/DOUBLE PRECISION NOT NULL,/);
    expect(columnLine(sql, 'is_active')).toMatch(/BOOLEAN NOT NULL,/);
    expect(columnLine(sql, 'shipped_on')).toMatch(/DATE NOT NULL,/);
    expect(columnLine(sql, 'created_at')).toMatch(/TIMESTAMPTZ NOT NULL,/);
    expect(columnLine(sql, 'updated_local')).toMatch(/TIMESTAMP NOT NULL,/);
    expect(columnLine(sql, 'notes')).toMatch(/notes +TEXT,/);
    expect(columnLine(sql, 'huge_id')).toMatch(/NUMERIC\(23,0\) NOT NULL,/);
    expect(columnLine(sql, 'empty')).toMatch(/empty +TEXT, -- .*all values null/);
    expect(columnLine(sql, 'rabatt_pct')).toMatch(/BIGINT NOT NULL,.*source "Rabatt %"/);
    expect(sql.trimEnd().endsWith(');')).toBe(true);
    expect(sql.startsWith('-- postgres DDL generated from a CSV profile')).toBe(true);
    expect(sql).toContain('-- source: 3 rows, 14 columns');
  });

  it('snowflake', async () => {
    const sql = await ddl({ dialect: 'snowflake', table: 'orders', schema: 'raw' });
    expect(sql).toContain('CREATE TABLE RAW.ORDERS (');
    expect(await ddl({ dialect: 'snowflake', table: 'orders', schema: 'analytics.raw' })).toContain('CREATE TABLE ANALYTICS.RAW.ORDERS (');
    expect(columnLine(sql, 'ORDER_ID')).toMatch(/NUMBER\(38,0\) NOT NULL,/);
    expect(columnLine(sql, '"SELECT"')).toMatch(/VARCHAR NOT NULL,/);
    expect(columnLine(sql, 'AMOUNT')).toMatch(/NUMBER\(7,2\) NOT NULL,/);
    expect(columnLine(sql, 'RATIO')).toMatch(/FLOAT NOT NULL,/);
    expect(columnLine(sql, 'IS_ACTIVE')).toMatch(/BOOLEAN NOT NULL,/);
    expect(columnLine(sql, 'CREATED_AT')).toMatch(/TIMESTAMP_TZ NOT NULL,/);
    expect(columnLine(sql, 'UPDATED_LOCAL')).toMatch(/TIMESTAMP_NTZ NOT NULL,/);
    expect(columnLine(sql, 'HUGE_ID')).toMatch(/NUMBER\(38,0\) NOT NULL,/);
  });

  it('bigquery', async () => {
    const sql = await ddl({ dialect: 'bigquery', table: 'orders', schema: 'my-project.sales' });
    expect(sql).toContain('CREATE TABLE `my-project`.sales.orders (');
    expect(columnLine(sql, 'order_id')).toMatch(/INT64 NOT NULL,/);
    expect(columnLine(sql, '`select`')).toMatch(/STRING NOT NULL,/);
    expect(columnLine(sql, 'amount')).toMatch(/NUMERIC NOT NULL,/);
    expect(columnLine(sql, 'ratio')).toMatch(/FLOAT64 NOT NULL,/);
    expect(columnLine(sql, 'is_active')).toMatch(/BOOL NOT NULL,/);
    expect(columnLine(sql, 'created_at')).toMatch(/ TIMESTAMP NOT NULL,/);
    expect(columnLine(sql, 'updated_local')).toMatch(/DATETIME NOT NULL,/);
    expect(columnLine(sql, 'huge_id')).toMatch(/ NUMERIC NOT NULL,/);
  });

  it('redshift', async () => {
    const sql = await ddl({ dialect: 'redshift', table: 'orders', schema: 'public' });
    expect(sql).toContain('CREATE TABLE public.orders (');
    expect(columnLine(sql, 'order_id')).toMatch(/BIGINT NOT NULL,/);
    // no TEXT (Redshift would make it VARCHAR(256)): the longest VARCHAR
    expect(columnLine(sql, '"select"')).toMatch(/"select" +VARCHAR\(65535\) NOT NULL,/);
    expect(sql).not.toMatch(/\bTEXT\b/);
    expect(columnLine(sql, 'amount')).toMatch(/DECIMAL\(7,2\) NOT NULL,/);
    expect(columnLine(sql, 'ratio')).toMatch(/DOUBLE PRECISION NOT NULL,/);
    expect(columnLine(sql, 'is_active')).toMatch(/BOOLEAN NOT NULL,/);
    expect(columnLine(sql, 'shipped_on')).toMatch(/DATE NOT NULL,/);
    expect(columnLine(sql, 'created_at')).toMatch(/TIMESTAMPTZ NOT NULL,/);
    expect(columnLine(sql, 'updated_local')).toMatch(/ TIMESTAMP NOT NULL,/);
    expect(columnLine(sql, 'huge_id')).toMatch(/DECIMAL\(23,0\) NOT NULL,/);
    expect(sql.startsWith('-- redshift DDL generated from a CSV profile')).toBe(true);
    // observed lengths are bytes: room for 4-byte characters
    expect(columnLine(await ddl({ dialect: 'redshift', table: 't', stringLength: 'observed' }), 'notes')).toMatch(/VARCHAR\(60\),/);
    // Redshift's own reserved words (compression encodings) are quoted; identifiers are cut at 127 bytes
    expect(sanitizeIdentifier('LZO', 'redshift', 'x')).toBe('lzo');
    const p = await profileCsv(once(`lzo,${'é'.repeat(100)}\n1,2\n`));
    const rs = generateDdl(p, { dialect: 'redshift', table: 't', columnComments: false });
    expect(rs).toMatch(/^ {2}"lzo" +BIGINT NOT NULL,/m);
    expect(rs).toMatch(new RegExp(`^ {2}${'e'.repeat(100)} +BIGINT NOT NULL$`, 'm'));
    expect(generateDdl(p, { dialect: 'redshift', table: 't', identifiers: 'preserve', columnComments: false })).toContain(`"${'é'.repeat(63)}"`);
  });

  it('sizes strings from observed lengths on request', async () => {
    expect(columnLine(await ddl({ dialect: 'postgres', table: 't', stringLength: 'observed' }), 'notes')).toMatch(/VARCHAR\(15\),/);
    expect(columnLine(await ddl({ dialect: 'snowflake', table: 't', stringLength: 'observed' }), 'NOTES')).toMatch(/VARCHAR\(15\),/);
    expect(columnLine(await ddl({ dialect: 'bigquery', table: 't', stringLength: 'observed' }), 'notes')).toMatch(/STRING\(15\),/);
  });

  it('can leave out NOT NULL, comments and add IF NOT EXISTS', async () => {
    const sql = await ddl({ dialect: 'postgres', table: 't', notNull: false, columnComments: false, ifNotExists: true });
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS t (');
    expect(sql).not.toContain('NOT NULL');
    expect(sql.split('\n').filter((l) => l.startsWith('  ')).every((l) => !l.includes('--'))).toBe(true);
  });

  it('never marks NOT NULL on an empty file', async () => {
    const empty = await profileCsv(once('a,b\n'));
    expect(generateDdl(empty, { dialect: 'postgres', table: 't' })).not.toContain('NOT NULL');
  });

  it('handles big decimals per dialect limits', async () => {
    const p = await profileCsv(once(`v\n${'9'.repeat(35)}.1234567890\n1.5\n`));
    expect(columnLine(generateDdl(p, { dialect: 'postgres', table: 't' }), 'v')).toContain('NUMERIC(45,10)');
    expect(columnLine(generateDdl(p, { dialect: 'snowflake', table: 't' }), 'V')).toContain('NUMBER(38,3)');
    expect(columnLine(generateDdl(p, { dialect: 'bigquery', table: 't' }), 'v')).toContain('BIGNUMERIC');
    expect(columnLine(generateDdl(p, { dialect: 'redshift', table: 't' }), 'v')).toContain('DECIMAL(38,3)');
  });
});

describe('identifiers', () => {
  it('sanitises per dialect', () => {
    expect(sanitizeIdentifier('Order ID', 'postgres', 'x')).toBe('order_id');
    expect(sanitizeIdentifier('customerName', 'postgres', 'x')).toBe('customer_name');
    expect(sanitizeIdentifier('HTTPStatusCode', 'postgres', 'x')).toBe('http_status_code');
    expect(sanitizeIdentifier('2024 sales', 'postgres', 'x')).toBe('_2024_sales');
    expect(sanitizeIdentifier('Crème Brûlée', 'snowflake', 'x')).toBe('CREME_BRULEE');
    expect(sanitizeIdentifier('***', 'bigquery', 'fallback')).toBe('fallback');
    expect(sanitizeIdentifier('_TABLE_name', 'bigquery', 'x')).toBe('table_name');
    expect(sanitizeIdentifier('a'.repeat(100), 'postgres', 'x')).toHaveLength(63);
  });

  it('de-duplicates names that collide after sanitising', async () => {
    const p = await profileCsv(once('Total,total,TOTAL\n1,2,3\n'));
    const sql = generateDdl(p, { dialect: 'postgres', table: 't', columnComments: false });
    expect(sql).toMatch(/total +BIGINT NOT NULL,\n {2}total_2 +BIGINT NOT NULL,\n {2}total_3 +BIGINT NOT NULL\n\);/);
  });

  it('preserves names with per-dialect quoting and escaping', async () => {
    const p = await profileCsv(once('"Weird ""Name""",lower,Mixed`Tick\n1,2,3\n'));
    const pg = generateDdl(p, { dialect: 'postgres', table: 'My Table', identifiers: 'preserve', columnComments: false });
    expect(pg).toContain('CREATE TABLE "My Table" (');
    expect(pg).toContain('"Weird ""Name"""');
    expect(pg).toMatch(/\n {2}lower +BIGINT/);
    expect(pg).toContain('"Mixed`Tick"');
    const sf = generateDdl(p, { dialect: 'snowflake', table: 'T', identifiers: 'preserve', columnComments: false });
    expect(sf).toContain('"lower"');
    expect(sf).toContain('CREATE TABLE T (');
    const bq = generateDdl(p, { dialect: 'bigquery', table: 't', identifiers: 'preserve', columnComments: false });
    expect(bq).toContain('`Weird "Name"`');
    expect(bq).toContain('`Mixed\\`Tick`');
  });

  it('keeps comments on one line', async () => {
    const p = await profileCsv(once('"multi\nline name"\n1\n'));
    const sql = generateDdl(p, { dialect: 'postgres', table: 't' });
    expect(sql).toContain('-- source "multi line name"');
  });
});

describe('validation', () => {
  it('rejects bad options and profiles with ValidationError', async () => {
    profile ??= await profileCsv(once(CSV));
    expect(() => generateDdl(profile, { dialect: 'mysql' as never, table: 't' })).toThrow(ValidationError);
    expect(() => generateDdl(profile, { dialect: 'postgres', table: '' })).toThrow(ValidationError);
    expect(() => generateDdl(profile, { dialect: 'postgres', table: 'a\nb' })).toThrow(ValidationError);
    expect(() => generateDdl({ ...profile, columns: [] }, { dialect: 'postgres', table: 't' })).toThrow(/no columns/);
    expect(() => generateDdl({ rowCount: 1 } as never, { dialect: 'postgres', table: 't' })).toThrow(ValidationError);
  });
});

describe('full DDL snapshots', () => {
  const SMALL = 'id,Full Name,price,paid,day,at\n1,Ann,9.99,true,2024-01-02,2024-01-02 10:00:00\n2,,10.5,false,2024-01-03,2024-01-03 11:00:00\n';
  const header = (d: string): string =>
    `-- ${d} DDL generated from a CSV profile; types are inferred from the data, review before use.\n` +
    "-- source: 2 rows, 6 columns, 123 bytes; delimiter ',', header yes, encoding utf8\n";

  it.each([
    [
      'postgres',
      'CREATE TABLE staging."user" (\n' +
        '  id        BIGINT NOT NULL, -- integer, 0 nulls, 2 distinct\n' +
        '  full_name TEXT, -- source "Full Name"; string, 1 null, 1 distinct\n' +
        '  price     NUMERIC(4,2) NOT NULL, -- decimal, 0 nulls, 2 distinct\n' +
        '  paid      BOOLEAN NOT NULL, -- boolean, 0 nulls, 2 distinct\n' +
        '  day       DATE NOT NULL, -- date, 0 nulls, 2 distinct\n' +
        '  at        TIMESTAMP NOT NULL -- timestamp, 0 nulls, 2 distinct\n' +
        ');\n',
    ],
    [
      'snowflake',
      'CREATE TABLE STAGING.USER (\n' +
        '  ID        NUMBER(38,0) NOT NULL, -- integer, 0 nulls, 2 distinct\n' +
        '  FULL_NAME VARCHAR, -- source "Full Name"; string, 1 null, 1 distinct\n' +
        '  PRICE     NUMBER(4,2) NOT NULL, -- decimal, 0 nulls, 2 distinct\n' +
        '  PAID      BOOLEAN NOT NULL, -- boolean, 0 nulls, 2 distinct\n' +
        '  DAY       DATE NOT NULL, -- date, 0 nulls, 2 distinct\n' +
        '  AT        TIMESTAMP_NTZ NOT NULL -- timestamp, 0 nulls, 2 distinct\n' +
        ');\n',
    ],
    [
      'bigquery',
      'CREATE TABLE staging.user (\n' +
        '  id        INT64 NOT NULL, -- integer, 0 nulls, 2 distinct\n' +
        '  full_name STRING, -- source "Full Name"; string, 1 null, 1 distinct\n' +
        '  price     NUMERIC NOT NULL, -- decimal, 0 nulls, 2 distinct\n' +
        '  paid      BOOL NOT NULL, -- boolean, 0 nulls, 2 distinct\n' +
        '  day       DATE NOT NULL, -- date, 0 nulls, 2 distinct\n' +
        '  `at`      DATETIME NOT NULL -- timestamp, 0 nulls, 2 distinct\n' +
        ');\n',
    ],
    [
      'redshift',
      'CREATE TABLE staging."user" (\n' +
        '  id        BIGINT NOT NULL, -- integer, 0 nulls, 2 distinct\n' +
        '  full_name VARCHAR(65535), -- source "Full Name"; string, 1 null, 1 distinct\n' +
        '  price     DECIMAL(4,2) NOT NULL, -- decimal, 0 nulls, 2 distinct\n' +
        '  paid      BOOLEAN NOT NULL, -- boolean, 0 nulls, 2 distinct\n' +
        '  day       DATE NOT NULL, -- date, 0 nulls, 2 distinct\n' +
        '  at        TIMESTAMP NOT NULL -- timestamp, 0 nulls, 2 distinct\n' +
        ');\n',
    ],
  ] as const)('%s', async (dialect, body) => {
    const p = await profileCsv(once(SMALL));
    expect(generateDdl(p, { dialect, table: 'user', schema: 'staging' })).toBe(header(dialect) + body);
  });
});
