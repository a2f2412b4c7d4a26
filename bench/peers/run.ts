/**
 * `npm run bench:peers`: one workflow shape — start → a ∥ b ∥ c → join, no-op steps — on this
 * engine, raw BullMQ, LangGraph.js (Postgres checkpointer) and Mastra (LibSQL store), 50 runs in
 * flight, N runs per system split into interleaved rounds (so load from elsewhere hits every
 * system alike). Then, per system, the kill -9 probe (crash-probe.ts): a run whose process is
 * killed mid-step, and whether a restarted process finishes it by itself. Prints one table:
 * runs/s, p50, p99, ratio to raw BullMQ, and the probe's finding.
 *
 * Needs Redis (REDIS_URL or 127.0.0.1:6379) and PostgreSQL (BENCH_PG_URL, default
 * postgresql://postgres@127.0.0.1:5432/test). N: BENCH_PEERS_N (default 2000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServices } from '../../test/support/test-services.js';
import { killProcesses } from '../../test/support/processes.js';
import { fmt, lanes, type Figures } from '../stats.js';
import { probeResume } from './crash-probe.js';
import { SYSTEM_KEYS, buildSystem, type System, type SystemKey } from './systems.js';

const N = Number(process.env.BENCH_PEERS_N ?? 2000);
const IN_FLIGHT = 50;
const ROUNDS = 4;

const t = await startTestServices({ DATAOPS_NODES_CONCURRENCY: '16', DATAOPS_JOB_ATTEMPTS: '1' });
const dir = await mkdtemp(join(tmpdir(), 'peer-bench-'));
const systems: (System & { key: SystemKey })[] = [];
for (const key of SYSTEM_KEYS) {
  try {
    systems.push({ ...(await buildSystem(key, t, dir)), key });
  } catch (err) {
    // raw BullMQ and this engine need only Redis; a peer whose store is missing is left out
    if (key === 'raw' || key === 'engine') throw err;
    console.error(`skipped a peer: ${(err as Error).message}`);
  }
}
const rounds = new Map<string, Figures[]>(systems.map((s) => [s.name, []]));
for (const s of systems) await lanes(100, IN_FLIGHT, () => s.run()); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  for (const s of systems) rounds.get(s.name)!.push(await lanes(Math.ceil(N / ROUNDS), IN_FLIGHT, () => s.run()));
}
for (const s of systems) await s.close();

const resumes = new Map<string, string>();
for (const s of systems) {
  try {
    // services of its own: fresh queues, not the bench's
    const own = await startTestServices();
    try {
      resumes.set(s.name, await probeResume(s.key, own.env, dir));
    } finally {
      killProcesses();
      await own.cleanup();
    }
  } catch (err) {
    resumes.set(s.name, `not measured: ${(err as Error).message.split('\n')[0]}`);
  }
}

const medianBy = (xs: Figures[]) => [...xs].sort((a, b) => a.perSec - b.perSec)[Math.floor((xs.length - 1) / 2)]!;
const raw = medianBy(rounds.get('raw BullMQ')!);
console.log(`\nstart → a ∥ b ∥ c → join, no-op steps; ${IN_FLIGHT} in flight, N = ${N} per system in ${ROUNDS} interleaved rounds (median round); ${new Date().toISOString().slice(0, 10)}, Node ${process.version}`);
console.log('| system | runs/s | p50 ms | p99 ms | ratio to raw BullMQ | resumes a run by itself after kill -9 (measured) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const s of systems) {
  const f = medianBy(rounds.get(s.name)!);
  console.log(`| ${s.name} | ${fmt(f.perSec)} | ${fmt(f.p50Ms)} | ${fmt(f.p99Ms)} | ${fmt(f.perSec / raw.perSec, 2)} | ${resumes.get(s.name)} |`);
}
await t.cleanup();
await rm(dir, { recursive: true, force: true });
process.exit(0);
