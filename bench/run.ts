/**
 * `npm run bench`: the engine's 4-node flow against raw BullMQ in the same run, JIL parse MB/s on a
 * generated 100,000-job file, and CSV profile MB/s on a generated file (500 MB by default; set
 * BENCH_CSV_MB to change it), each with peak memory.
 */
// Each bench is imported only when it runs, so one's modules and heap do not slow another.

const only = process.argv[2];
const fmt = (n: number, d = 1) => n.toFixed(d);

if (!only || only === 'flow') {
  const { benchEngineFlow } = await import('./engine-flow.js');
  const r = await benchEngineFlow({ flows: Number(process.env.BENCH_FLOWS ?? 5000) });
  console.log(`\n4-node flow (1 parent + 3 children, no-op), ${r.ratios.length} alternating rounds of ${r.engine.flows} flows, worker concurrency ${r.concurrency} (median round shown)`);
  console.log(`  raw BullMQ : ${fmt(r.raw.flowsPerSec)} flows/s   p50 ${fmt(r.raw.p50Ms)} ms   p99 ${fmt(r.raw.p99Ms)} ms`);
  console.log(`  engine     : ${fmt(r.engine.flowsPerSec)} flows/s   p50 ${fmt(r.engine.p50Ms)} ms   p99 ${fmt(r.engine.p99Ms)} ms`);
  console.log(`  ratio      : ${fmt(r.ratio, 2)} of raw throughput (goal ≥ 0.70); every round: ${r.ratios.map((x) => fmt(x, 2)).join(', ')}`);
}
if (!only || only === 'jil') {
  const { benchJilParse } = await import('./jil-parse.js');
  const r = await benchJilParse({ jobs: 100_000 });
  console.log(`\nJIL parse: ${r.jobs} jobs, ${fmt(r.bytes / 1e6)} MB in ${fmt(r.seconds, 2)} s = ${fmt(r.bytes / 1e6 / r.seconds)} MB/s (goal ≥ 20), peak RSS ${fmt(r.peakRssMb)} MB`);
}
if (!only || only === 'csv') {
  const mb = Number(process.env.BENCH_CSV_MB ?? 500);
  const { benchCsvProfile } = await import('./csv-profile.js');
  const r = await benchCsvProfile({ megabytes: mb });
  console.log(`\nCSV profile: ${r.rows} rows, ${fmt(r.bytes / 1e6)} MB in ${fmt(r.seconds, 2)} s = ${fmt(r.bytes / 1e6 / r.seconds)} MB/s (goal ≥ 30), peak RSS ${fmt(r.peakRssMb)} MB`);
}
process.exit(0);
