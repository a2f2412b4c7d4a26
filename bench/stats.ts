import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Latency figures of one bench line: count, wall seconds, rate, p50 and p99. */
export interface Figures {
  count: number;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
}

export function figures(latencies: number[], seconds: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, seconds, perSec: sorted.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/**
 * Runs `total` operations with `inFlight` lanes, each awaiting its operation before starting the
 * next; times every operation from start to end.
 */
export async function lanes(total: number, inFlight: number, op: (i: number, lane: number) => Promise<void>): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await op(i, lane);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return figures(latencies, (performance.now() - started) / 1000);
}

/** Samples the process's resident set size until stopped; returns the peak in MB. */
export function peakRss(intervalMs = 50): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) / 1e6;
    },
  };
}

export const fmt = (n: number, d = 1) => n.toFixed(d);

export function countRequests(client: DynamoDBClient, name = 'benchCounter'): { byCommand: Record<string, number>; counting: boolean; total(): number; reset(): void } {
  const counter = {
    byCommand: {} as Record<string, number>,
    counting: false,
    total: () => Object.values(counter.byCommand).reduce((a, b) => a + b, 0),
    reset: () => {
      counter.byCommand = {};
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (counter.counting) counter.byCommand[context.commandName ?? '?'] = (counter.byCommand[context.commandName ?? '?'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name },
  );
  return counter;
}

/**
 * Where the benches that store sessions run dynalite (in memory) and s3rver: in a process of their
 * own by default (`BENCH_STORAGE=process`), as DynamoDB and S3 are remote services, so the measured
 * process does not pay for the emulators' CPU; `BENCH_STORAGE=in-process` runs them in the bench's.
 */
export function benchStorage(): { storage: 'process' | 'in-process' } {
  const v = process.env.BENCH_STORAGE ?? 'process';
  if (v !== 'process' && v !== 'in-process') throw new Error(`BENCH_STORAGE must be process or in-process, not ${v}`);
  return { storage: v };
}

/** A positive whole number from the environment (a bench knob), or `fallback` when unset; a clear error otherwise. */
export function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not ${JSON.stringify(raw)}`);
  return n;
}
