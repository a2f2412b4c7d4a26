/**
 * JIL parse throughput: generates a realistic JIL export (top-level boxes with nested boxes, command
 * jobs and file watchers, conditions with AND/OR/lookbacks/exit codes, comments, several attributes
 * per line, CRLF on some statements) and times `parseJil` on it.
 *
 *   npx tsx bench/jil-parse.ts            # 100 000 jobs
 *   npx tsx bench/jil-parse.ts 20000      # another size
 *
 * Figures: `mbPerSec` is MiB (2^20 bytes of UTF-8 input) per second; `peakRssMb` is the process's peak
 * resident set (MiB) as reported by the OS after the run.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import './worker-conditions.js';
import { parseJil } from '../src/workflows/builtin/jil/lib/parser.js';

export interface JilParseBenchResult {
  jobs: number;
  bytes: number;
  seconds: number;
  mbPerSec: number;
  peakRssMb: number;
}

const DAYS = ['mo,tu,we,th,fr', 'all', 'su,sa', 'mo,we,fr'];

/** A JIL text with about `jobs` jobs (boxes included). Deterministic. */
export function generateJil(jobs: number): string {
  const parts: string[] = [];
  let made = 0;
  let boxNo = 0;
  while (made < jobs) {
    boxNo++;
    const top = `APP${boxNo % 97}_NIGHTLY_${boxNo}_BOX`;
    parts.push(`/* ----------------- ${top} ----------------- */\n\n`);
    parts.push(`insert_job: ${top}   job_type: BOX\nowner: batch@prod\npermission: gx,ge,wx\n`);
    parts.push(`date_conditions: 1 days_of_week: ${DAYS[boxNo % DAYS.length]} start_times: "0${boxNo % 10}:30"\n`);
    parts.push(`description: "Nightly load #${boxNo}: extract, transform, load"\nalarm_if_fail: 1\n`);
    if (boxNo > 1 && boxNo % 5 === 0) parts.push(`condition: s(APP${(boxNo - 1) % 97}_NIGHTLY_${boxNo - 1}_BOX, 12.00)\n`);
    parts.push('\n');
    made++;
    for (let sub = 0; sub < 2 && made < jobs; sub++) {
      const inner = `${top.slice(0, -4)}_STAGE${sub}_BOX`;
      const eol = sub === 1 ? '\r\n' : '\n';
      parts.push(`insert_job: ${inner} job_type: b box_name: ${top}${eol}`);
      if (sub === 1) parts.push(`condition: success(${top.slice(0, -4)}_STAGE0_BOX)${eol}`);
      parts.push(eol);
      made++;
      let prev = '';
      for (let k = 0; k < 10 && made < jobs; k++) {
        const name = `${inner.slice(0, -4)}_J${k}`;
        if (k === 0 && sub === 0) {
          parts.push(`insert_job: ${name}   job_type: FW\nbox_name: ${inner}\nwatch_file: /data/in/feed_${boxNo}.csv watch_interval: 60\n`);
          parts.push(`machine: etl-host-${boxNo % 7}\nowner: batch@prod\n\n`);
        } else {
          parts.push(`insert_job: ${name}   job_type: CMD\n`);
          parts.push(`box_name: ${inner}\n`);
          parts.push(`command: /opt/etl/bin/run_step.sh --step ${k} --feed feed_${boxNo} --url http://api.internal:8080/v1/load\n`);
          parts.push(`machine: etl-host-${boxNo % 7}   owner: batch@prod   permission: gx,ge\n`);
          parts.push(`n_retrys: 2 term_run_time: 120 max_run_alarm: 90\n`);
          if (prev) {
            if (k % 4 === 0) parts.push(`condition: s(${prev}) & (e(${prev}) < 4 | v(ETL_MODE) = "full")\n`);
            else if (k % 3 === 0) parts.push(`condition: success(${prev}) and done(${inner.slice(0, -4)}_J0, 02.30)\n`);
            else parts.push(`condition: s(${prev})\n`);
          }
          parts.push(`std_out_file: "/var/log/etl/${name}.out"\nstd_err_file: "/var/log/etl/${name}.err"\n`);
          if (k % 2 === 0) parts.push(`envvars: FEED=feed_${boxNo}\nenvvars: MODE=nightly\n`);
          parts.push(`# step ${k} of ${inner}\n\n`);
        }
        prev = name;
        made++;
      }
    }
  }
  return parts.join('');
}

/**
 * Times parseJil on a generated JIL text of `jobs` jobs (default 100 000). The text is parsed `runs`
 * times (default 3) and the fastest wall-clock run is reported, which keeps the figure meaningful on a
 * machine shared with other work.
 */
export async function benchJilParse(opts: { jobs?: number; runs?: number } = {}): Promise<JilParseBenchResult> {
  const jobs = opts.jobs ?? 100_000;
  const runs = Math.max(1, opts.runs ?? 3);
  const text = generateJil(jobs);
  const bytes = Buffer.byteLength(text, 'utf8');
  // Warm the JIT on a small sample so the figure reflects steady-state speed.
  parseJil(generateJil(2_000));
  let seconds = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const result = parseJil(text);
    seconds = Math.min(seconds, (performance.now() - t0) / 1000);
    if (result.stats.jobs !== jobs || result.errors.length > 0) {
      throw new Error(`bench: expected ${jobs} jobs and no errors, got ${result.stats.jobs} jobs, ${result.errors.length} errors`);
    }
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return {
    jobs,
    bytes,
    seconds: Math.round(seconds * 1000) / 1000,
    mbPerSec: Math.round((bytes / 1024 / 1024 / seconds) * 10) / 10,
    peakRssMb: Math.round(peakRssMb),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv[2];
  void benchJilParse(arg === undefined ? {} : { jobs: Number(arg) }).then((r) => {
    console.log(
      `jil-parse: ${r.jobs} jobs, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB in ${r.seconds}s → ${r.mbPerSec} MiB/s, peak RSS ${r.peakRssMb} MiB`,
    );
  });
}
