import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { profileCsv, syntheticCsv } from '../../src/workflows/builtin/csv/lib/index.js';

describe('profileCsv memory', () => {
  it('profiles a lazily generated ~50 MB stream with heap growth far below the data size', async () => {
    const bytes = 50 * 1024 * 1024;
    // A real collector lets the test measure what stays reachable, not garbage awaiting collection.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const retained: number[] = [];
    const sample = (): void => {
      gc();
      retained.push(process.memoryUsage().heapUsed - before);
    };
    const profile = await profileCsv(syntheticCsv({ bytes }), {}, { onProgress: sample, progressEveryBytes: 5 * 1024 * 1024 });

    expect(profile.bytesRead).toBeGreaterThanOrEqual(bytes);
    expect(profile.rowCount).toBeGreaterThan(400_000);
    expect(profile.complete).toBe(true);
    expect(profile.columns.map((c) => c.inferredType)).toEqual([
      'integer', 'string', 'string', 'decimal', 'integer', 'timestamp', 'date', 'boolean', 'string', 'string',
    ]);
    const id = profile.columns[0]!;
    expect(id.min).toBe(1);
    expect(id.max).toBe(profile.rowCount);
    expect(Math.abs(id.distinct.estimate - profile.rowCount) / profile.rowCount).toBeLessThan(0.03);
    // Bounded state: what the profiler keeps alive stays small compared with the 50 MB streamed…
    expect(retained.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...retained)).toBeLessThan(bytes / 4);
    // …and flat: the second half of the stream adds (almost) nothing to the first half's state.
    const half = Math.floor(retained.length / 2);
    expect(Math.max(...retained.slice(half)) - Math.max(...retained.slice(1, half))).toBeLessThan(4 * 1024 * 1024);
  });
});

describe('benchCsvProfile', () => {
  it('streams a generated file of the requested size and reports its figures', async () => {
    const { benchCsvProfile } = await import('../../bench/csv-profile.js');
    const r = await benchCsvProfile({ megabytes: 2 });
    expect(r.bytes).toBeGreaterThanOrEqual(2e6);
    expect(r.bytes).toBeLessThan(2e6 + 1000);
    expect(r.rows).toBeGreaterThan(15_000);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.mbPerSec).toBeCloseTo(r.bytes / 1e6 / r.seconds, 0);
    expect(r.peakRssMb).toBeGreaterThan(0);
  });
});
