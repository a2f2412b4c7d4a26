import { describe, expect, it } from 'vitest';
import { HashSet64 } from '../../src/workflows/builtin/csv/lib/hash-set64.js';
import { HyperLogLog } from '../../src/workflows/builtin/csv/lib/hyperloglog.js';
import { MisraGries } from '../../src/workflows/builtin/csv/lib/misra-gries.js';
import { mulberry32 } from '../../src/workflows/builtin/csv/lib/prng.js';
import { profileCsv } from '../../src/workflows/builtin/csv/lib/profile-csv.js';
import { Reservoir } from '../../src/workflows/builtin/csv/lib/reservoir.js';
import { hash32, hash32b } from '../../src/workflows/builtin/csv/lib/string-hash.js';
import { Utf8Validator } from '../../src/workflows/builtin/csv/lib/utf8-validator.js';
import { Welford } from '../../src/workflows/builtin/csv/lib/welford.js';

async function* lines(header: string, n: number, row: (i: number) => string): AsyncGenerator<Buffer> {
  let buf = `${header}\n`;
  for (let i = 0; i < n; i++) {
    buf += `${row(i)}\n`;
    if (buf.length > 32_768) {
      yield Buffer.from(buf);
      buf = '';
    }
  }
  yield Buffer.from(buf);
}

describe('HyperLogLog', () => {
  it('estimates 100k distinct values within 3 %', () => {
    const hll = new HyperLogLog(14);
    for (let i = 0; i < 100_000; i++) hll.add(`user-${i}@example.com`);
    for (let i = 0; i < 50_000; i++) hll.add(`user-${i}@example.com`); // duplicates change nothing
    expect(Math.abs(hll.estimate() - 100_000) / 100_000).toBeLessThan(0.03);
  });

  it('is accurate for sequential numeric strings and small counts', () => {
    const hll = new HyperLogLog(14);
    for (let i = 0; i < 1000; i++) hll.add(String(i));
    expect(Math.abs(hll.estimate() - 1000)).toBeLessThan(20);
    const big = new HyperLogLog(12);
    for (let i = 0; i < 300_000; i++) big.add(String(i * 7));
    expect(Math.abs(big.estimate() - 300_000) / 300_000).toBeLessThan(0.05);
  });

  it('merges like a union', () => {
    const a = new HyperLogLog(12);
    const b = new HyperLogLog(12);
    for (let i = 0; i < 20_000; i++) a.add(`k${i}`);
    for (let i = 10_000; i < 30_000; i++) b.add(`k${i}`);
    a.merge(b);
    expect(Math.abs(a.estimate() - 30_000) / 30_000).toBeLessThan(0.05);
    expect(() => a.merge(new HyperLogLog(10))).toThrow(RangeError);
  });

  it('profile distinct is exact when small and an estimate when large', async () => {
    const p = await profileCsv(lines('id,grp', 100_000, (i) => `${i},g${i % 37}`), { hllPrecision: 14 });
    const [id, grp] = p.columns;
    expect(id!.distinct.exact).toBe(false);
    expect(Math.abs(id!.distinct.estimate - 100_000) / 100_000).toBeLessThan(0.03);
    expect(grp!.distinct).toEqual({ estimate: 37, exact: true });
  });
});

describe('top values (Misra–Gries)', () => {
  it('is exact while everything fits', () => {
    const mg = new MisraGries(8);
    for (const v of ['a', 'b', 'a', 'c', 'a', 'b']) mg.add(v);
    expect(mg.exact).toBe(true);
    expect(mg.top(2)).toEqual([
      { value: 'a', count: 3 },
      { value: 'b', count: 2 },
    ]);
  });

  it('keeps heavy hitters in a high-cardinality stream with bounded counters', () => {
    const mg = new MisraGries(64);
    const n = 200_000;
    const truth = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      // 'hot' 20 %, 'warm' 10 %, 'mild' 5 %, the rest unique.
      const r = i % 20;
      const v = r < 4 ? 'hot' : r < 6 ? 'warm' : r === 6 ? 'mild' : `u${i}`;
      truth.set(v, (truth.get(v) ?? 0) + 1);
      mg.add(v);
      expect(mg.size).toBeLessThanOrEqual(64);
    }
    expect(mg.exact).toBe(false);
    expect(mg.maxUndercount).toBeLessThanOrEqual((2 * n) / 64);
    const top = mg.top(3);
    expect(top.map((t) => t.value)).toEqual(['hot', 'warm', 'mild']);
    for (const t of top) {
      const real = truth.get(t.value)!;
      expect(t.count).toBeLessThanOrEqual(real);
      expect(real - t.count).toBeLessThanOrEqual(mg.maxUndercount);
    }
  });

  it('profile top values are ordered by count and flagged exact', async () => {
    const p = await profileCsv(lines('status', 1000, (i) => (i % 10 < 6 ? 'open' : i % 10 < 9 ? 'closed' : 'stale')), { topK: 2 });
    const c = p.columns[0]!;
    expect(c.topValues).toEqual([
      { value: 'open', count: 600 },
      { value: 'closed', count: 300 },
    ]);
    expect(c.topValuesExact).toBe(true);
    expect(c.topValuesMaxError).toBe(0);
  });
});

describe('reservoir sample', () => {
  it('keeps at most k items, each item equally likely', () => {
    const hits = new Array<number>(100).fill(0);
    const random = mulberry32(7);
    for (let trial = 0; trial < 2000; trial++) {
      const r = new Reservoir<number>(10, random);
      for (let i = 0; i < 100; i++) r.offer(i);
      const v = r.values();
      expect(v.length).toBe(10);
      expect(new Set(v).size).toBe(10);
      for (const x of v) hits[x]!++;
    }
    // Expected 200 hits per item; every item within ±40 %, and late items not starved.
    for (const h of hits) expect(Math.abs(h - 200)).toBeLessThan(80);
    const firstHalf = hits.slice(0, 50).reduce((a, b) => a + b, 0);
    expect(Math.abs(firstHalf - 10_000)).toBeLessThan(800);
  });

  it('is reproducible for a seed', async () => {
    const a = await profileCsv(lines('v', 5000, (i) => `x${i}`), { seed: 3, sampleSize: 5 });
    const b = await profileCsv(lines('v', 5000, (i) => `x${i}`), { seed: 3, sampleSize: 5 });
    expect(a.columns[0]!.sampleValues).toEqual(b.columns[0]!.sampleValues);
    expect(a.columns[0]!.sampleValues).toHaveLength(5);
  });
});

describe('small structures', () => {
  it('Welford matches the two-pass formulas', () => {
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    const w = new Welford();
    for (const x of xs) w.add(x);
    expect(w.mean).toBeCloseTo(1e9 + 10, 6);
    expect(w.stddev).toBeCloseTo(Math.sqrt(30), 6);
    expect(new Welford().mean).toBeNull();
  });

  it('HashSet64 finds duplicates, grows, and saturates at its bound', () => {
    const s = new HashSet64(50_000, 16);
    for (let i = 0; i < 40_000; i++) expect(s.add(hash32(`k${i}`), hash32b(`k${i}`))).toBe(false);
    for (let i = 0; i < 40_000; i += 997) expect(s.add(hash32(`k${i}`), hash32b(`k${i}`))).toBe(true);
    expect(s.size).toBe(40_000);
    const small = new HashSet64(3);
    for (const k of ['a', 'b', 'c', 'd']) small.add(hash32(k), hash32b(k));
    expect(small.saturated).toBe(true);
    expect(small.add(hash32('a'), hash32b('a'))).toBe(true);
    expect(small.add(hash32('d'), hash32b('d'))).toBe(false);
  });

  it('UTF-8 validator is boundary-safe and finds invalid bytes', () => {
    const text = Buffer.from('héllo wörld – ✓ 😀 fin');
    for (let size = 1; size <= 5; size++) {
      const v = new Utf8Validator();
      for (let i = 0; i < text.length; i += size) v.push(text.subarray(i, i + size));
      expect(v.end()).toBe(true);
    }
    const bad = new Utf8Validator();
    bad.push(Buffer.from([0x61, 0xe2, 0x82]));
    expect(bad.push(Buffer.from([0x41]))).toBe(false);
    const truncated = new Utf8Validator();
    truncated.push(Buffer.from([0x61, 0xf0, 0x9f]));
    expect(truncated.end()).toBe(false);
  });
});
