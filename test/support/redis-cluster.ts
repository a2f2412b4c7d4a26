import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, hasRedisServer } from '../../src/infra/local-redis.js';

/** A real Redis Cluster of `masters` redis-servers on loopback ports, made for one test run. */
export interface LocalCluster {
  nodes: { host: string; port: number }[];
  /** `REDIS_CLUSTER_NODES` for it. */
  seeds: string;
  stop(): Promise<void>;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ask<T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await f(r);
  } finally {
    r.disconnect();
  }
}

/**
 * Starts `masters` (default 3) `redis-server --cluster-enabled yes` on free loopback ports (no
 * persistence, noeviction), joins them with `redis-cli --cluster create … --cluster-yes` (equal slot
 * ranges, no replicas) and waits until every node reports `cluster_state:ok`. `stop()` kills the
 * servers and removes their directory.
 */
export async function startRedisCluster(masters = 3): Promise<LocalCluster> {
  if (!hasRedisServer()) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const dir = await mkdtemp(join(tmpdir(), 'dataops-cluster-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((ok) => {
            if (c.exitCode !== null || c.signalCode !== null) return ok();
            c.once('exit', () => ok());
            c.kill('SIGKILL');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    while (ports.length < masters) {
      const p = await freePort();
      // the cluster bus listens on port + 10000
      if (p <= 55_535 && !ports.includes(p)) ports.push(p);
    }
    for (const port of ports) {
      const child = spawn(
        'redis-server',
        [
          '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
          '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '3000',
          '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir,
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
    }
    for (const port of ports) await waitFor(`redis-server on ${port} did not answer`, () => ask(port, (r) => r.ping()).then((x) => x === 'PONG'));
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    for (const port of ports) {
      await waitFor(`node ${port} did not report cluster_state:ok`, () =>
        ask(port, (r) => r.cluster('INFO')).then((info) => String(info).includes('cluster_state:ok')),
      );
    }
    const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
    return { nodes, seeds: nodes.map((n) => `${n.host}:${n.port}`).join(','), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
