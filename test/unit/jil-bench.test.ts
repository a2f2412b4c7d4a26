import { describe, expect, it } from 'vitest';
import { benchJilParse, generateJil } from '../../bench/jil-parse.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';

describe('JIL parse bench', () => {
  it('generates a realistic JIL text that parses without errors', () => {
    const text = generateJil(500);
    const r = parseJil(text);
    expect(r.stats.jobs).toBe(500);
    expect(r.errors).toEqual([]);
    expect(r.stats.boxes).toBeGreaterThan(10);
    expect(r.stats.conditions).toBeGreaterThan(300);
    expect(text).toContain('\r\n');
    expect(text).toMatch(/machine: \S+ {3}owner: /);
    expect(r.jobs.some((j) => j.dependsOn.some((d) => d.lookbackMinutes === 150))).toBe(true);
    expect(r.jobs.some((j) => j.variables.length > 0)).toBe(true);
  });

  it('benchJilParse reports its figures', async () => {
    const r = await benchJilParse({ jobs: 3_000, runs: 1 });
    expect(r.jobs).toBe(3_000);
    expect(r.bytes).toBeGreaterThan(3_000 * 200);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.mbPerSec).toBeGreaterThan(0);
    expect(r.peakRssMb).toBeGreaterThan(0);
  });
});
