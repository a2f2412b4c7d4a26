/**
 * `npm run bench [flow|roundtrip|api|append|jil|csv]`: the engine's 4-node flow against raw BullMQ,
 * a message's round trip against a raw-BullMQ floor, the API's requests/s against a bare Express
 * route, the counted cost of a session append, JIL parse MB/s on a generated 100,000-job file and
 * CSV profile MB/s on a generated file (500 MB by default; BENCH_CSV_MB changes it), each with its
 * peak RSS. Every ratio compares with a baseline measured in the same run. `npm run bench cluster`: flows/s with
 * 1 vs 3 queue partitions on a local 3-master Redis Cluster, with each shard's command counts.
 */
import { envCount, fmt, peakRss } from './stats.js';
// Each bench is imported only when it runs, so one's modules and heap do not slow another.

const only = process.argv[2];
const ratio = (a: number, b: number) => fmt(a / b, 2);

if (!only || only === 'flow') {
  const rss = peakRss();
  const { benchEngineFlow } = await import('./engine-flow.js');
  // BENCH_ROUNDS: more rounds give a steadier median on a machine whose speed varies (default 5)
  const r = await benchEngineFlow({ flows: envCount('BENCH_FLOWS', 5000), rounds: envCount('BENCH_ROUNDS', 5) });
  const mean = r.ratios.reduce((a, b) => a + b, 0) / r.ratios.length;
  console.log(`\n4-node flow (1 parent + 3 children, no-op), ${r.ratios.length} alternating rounds of ${r.engine.flows} flows, worker concurrency ${r.concurrency} (median round shown)`);
  console.log(`  raw BullMQ : ${fmt(r.raw.flowsPerSec)} flows/s   p50 ${fmt(r.raw.p50Ms)} ms   p99 ${fmt(r.raw.p99Ms)} ms   CPU ${fmt(r.raw.cpuMsPerFlow, 2)} ms/flow`);
  console.log(`  engine     : ${fmt(r.engine.flowsPerSec)} flows/s   p50 ${fmt(r.engine.p50Ms)} ms   p99 ${fmt(r.engine.p99Ms)} ms   CPU ${fmt(r.engine.cpuMsPerFlow, 2)} ms/flow`);
  console.log(`  ratio      : ${fmt(r.ratio, 2)} of raw throughput (goal ≥ 0.90); p50 ${ratio(r.engine.p50Ms, r.raw.p50Ms)}× raw (goal ≤ 1.2); mean of the rounds ${fmt(mean, 2)}; every round: ${r.ratios.map((x) => fmt(x, 2)).join(', ')}`);
  const top = (c: { byCommand: Record<string, number> }) => Object.entries(c.byCommand).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`  Redis cmds : raw ${fmt(r.commands.raw.total)} per flow (${top(r.commands.raw)}); engine ${fmt(r.commands.engine.total)} (${top(r.commands.engine)})`);
  const { raw: rc, engine: ec } = r.commands;
  console.log(
    `  Redis time : raw ${rc.usecPerFlow} µs in commands, CPU ${fmt(rc.redisCpuMsPerFlow, 2)} ms per flow; engine ${ec.usecPerFlow} µs, CPU ${fmt(ec.redisCpuMsPerFlow, 2)} ms ` +
      `(${ratio(ec.usecPerFlow, rc.usecPerFlow)}× and ${ratio(ec.redisCpuMsPerFlow, rc.redisCpuMsPerFlow)}× raw; process CPU ${ratio(r.engine.cpuMsPerFlow, r.raw.cpuMsPerFlow)}× raw)`,
  );
  console.log(`  peak RSS   : ${fmt(rss.stop())} MB`);
}
if (!only || only === 'roundtrip') {
  const rss = peakRss();
  const { benchMessageRoundTrip } = await import('./message-roundtrip.js');
  const r = await benchMessageRoundTrip({ messages: envCount('BENCH_MESSAGES', 400) });
  console.log('\nMessage round trip (POST …/messages → reply on the WebSocket; offline router, one no-op node) vs raw BullMQ floor (same jobs and flows)');
  for (const l of r.lines) {
    console.log(
      `  ${String(l.inFlight).padStart(2)} in flight: engine p50 ${fmt(l.engine.p50Ms)} ms  p99 ${fmt(l.engine.p99Ms)} ms  ${fmt(l.engine.perSec)} msg/s | ` +
        `floor p50 ${fmt(l.floor.p50Ms)} ms  p99 ${fmt(l.floor.p99Ms)} ms  ${fmt(l.floor.perSec)} msg/s | p50 ${ratio(l.engine.p50Ms, l.floor.p50Ms)}× floor (goal ≤ 3), ` +
        `throughput ${ratio(l.engine.perSec, l.floor.perSec)} of floor`,
    );
    console.log(
      `      floor + the same session writes: p50 ${fmt(l.storedFloor.p50Ms)} ms  p99 ${fmt(l.storedFloor.p99Ms)} ms  ${fmt(l.storedFloor.perSec)} msg/s; ` +
        `engine p50 ${ratio(l.engine.p50Ms, l.storedFloor.p50Ms)}× that (the rest of the gap is durable storage)`,
    );
    const dynamo = Object.entries(l.dynamoPerMessage).sort((a, b) => b[1] - a[1]);
    console.log(`      DynamoDB requests per message: ${fmt(dynamo.reduce((a, [, v]) => a + v, 0), 2)} (${dynamo.map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`).join(', ')})`);
  }
  console.log(`  peak RSS   : ${fmt(Math.max(r.peakRssMb, rss.stop()))} MB`);
}
if (!only || only === 'api') {
  const rss = peakRss();
  const { benchApi } = await import('./api-throughput.js');
  const r = await benchApi({ seconds: envCount('BENCH_API_SECONDS', 8) });
  console.log('\nAPI requests/s (autocannon, 32 connections; auth, rate limit, validation, logging) vs a bare Express route in the same process');
  for (const l of r.lines) {
    console.log(`  ${l.route.padEnd(32)} ${fmt(l.apiRps, 0)} req/s (p50 ${fmt(l.apiP50Ms)} ms, p99 ${fmt(l.apiP99Ms)} ms) vs bare ${fmt(l.bareRps, 0)} req/s = ${ratio(l.apiRps, l.bareRps)}; non-2xx ${l.non2xx}`);
  }
  console.log(`  peak RSS   : ${fmt(Math.max(r.peakRssMb, rss.stop()))} MB`);
}
if (!only || only === 'append') {
  const { benchSessionAppend } = await import('./session-append.js');
  const r = await benchSessionAppend();
  console.log(`\nSession append cost, counted: ${r.writers} concurrent writers × ${r.messages / r.writers} messages into one session`);
  console.log(`  DynamoDB writes per message : ${fmt(r.dynamoWritesPerMessage, 3)} (goal ≤ 1.1); all requests ${fmt(r.dynamoRequestsPerMessage, 3)}  ${JSON.stringify(r.byCommand)}`);
  console.log(`  Redis round trips per message: ${fmt(r.redisRoundTripsPerMessage, 3)} (goal ≤ 1)`);
  console.log(`  embedded store (dynalite)   : ${fmt(r.messagesPerSec)} messages/s; peak RSS ${fmt(r.peakRssMb)} MB`);
}
if (!only || only === 'jil') {
  const { benchJilParse } = await import('./jil-parse.js');
  const r = await benchJilParse({ jobs: 100_000 });
  console.log(`\nJIL parse: ${r.jobs} jobs, ${fmt(r.bytes / 1e6)} MB in ${fmt(r.seconds, 2)} s = ${fmt(r.bytes / 1e6 / r.seconds)} MB/s (goal ≥ 20), peak RSS ${fmt(r.peakRssMb)} MB`);
}
if (!only || only === 'csv') {
  const mb = envCount('BENCH_CSV_MB', 500);
  const { benchCsvProfile } = await import('./csv-profile.js');
  const r = await benchCsvProfile({ megabytes: mb });
  console.log(`\nCSV profile: ${r.rows} rows, ${fmt(r.bytes / 1e6)} MB in ${fmt(r.seconds, 2)} s = ${fmt(r.bytes / 1e6 / r.seconds)} MB/s (goal ≥ 30), peak RSS ${fmt(r.peakRssMb)} MB`);
}
if (only === 'cluster') {
  // not part of the default run: it starts its own 3-master Redis Cluster
  const { benchCluster } = await import('./cluster.js');
  const rounds = await benchCluster({ flows: envCount('BENCH_FLOWS', 1000) });
  console.log('\nRedis Cluster (3 local masters), 4-step no-op flows, nodes + flows workers in one process');
  for (const r of rounds) {
    console.log(`  ${r.partitions} partition${r.partitions > 1 ? 's' : ' '}: ${fmt(r.flowsPerSec)} flows/s (${r.flows} flows in ${fmt(r.seconds, 2)} s)`);
    for (const s of r.shards) console.log(`    shard ${s.node}: ${s.calls} commands (${s.top.map((c) => `${c.command} ${c.calls}`).join(', ')})`);
  }
}
process.exit(0);
