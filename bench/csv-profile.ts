import { pathToFileURL } from 'node:url';
import './worker-conditions.js';
import { profileCsv } from '../src/workflows/builtin/csv/lib/profile-csv.js';
import { syntheticCsv } from '../src/workflows/builtin/csv/lib/synthetic-csv.js';

/** Figures of one benchmark run. */
export interface CsvProfileBenchResult {
  bytes: number;
  rows: number;
  seconds: number;
  mbPerSec: number;
  peakRssMb: number;
}

/**
 * Streams a lazily generated CSV of `megabytes` MB (default 500; 10 mixed columns, never held in
 * memory) through profileCsv and reports throughput and peak resident memory.
 * MB here means 10^6 bytes.
 */
export async function benchCsvProfile(opts: { megabytes?: number } = {}): Promise<CsvProfileBenchResult> {
  const megabytes = opts.megabytes ?? 500;
  let peakRss = process.memoryUsage.rss();
  const sample = (): void => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  };
  const timer = setInterval(sample, 100);
  const started = process.hrtime.bigint();
  try {
    const profile = await profileCsv(syntheticCsv({ bytes: megabytes * 1e6 }), {}, { onProgress: sample, progressEveryBytes: 4 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    sample();
    return {
      bytes: profile.bytesRead,
      rows: profile.rowCount,
      seconds: Math.round(seconds * 1000) / 1000,
      mbPerSec: Math.round((profile.bytesRead / 1e6 / seconds) * 10) / 10,
      peakRssMb: Math.round((peakRss / (1024 * 1024)) * 10) / 10,
    };
  } finally {
    clearInterval(timer);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mb = process.argv[2] ? Number(process.argv[2]) : undefined;
  benchCsvProfile({ megabytes: mb }).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
