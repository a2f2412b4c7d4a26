import { spawn, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { ServiceUnavailableError } from '../errors/service-unavailable-error.js';
import { pingRedis, redactUrl } from './redis.js';

/** A redis-server this process started; `stop()` shuts it down. */
export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

/** True when `redis-server` is on PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/**
 * Starts `redis-server` on `port` (default: a free one) with `noeviction` and no persistence,
 * and waits until it answers.
 */
export async function startLocalRedis(options: { port?: number; dir?: string } = {}): Promise<LocalRedis> {
  if (!hasRedisServer()) {
    throw new ServiceUnavailableError(
      'redis-server is not installed. Install Redis ≥ 6.2 (e.g. `sudo apt-get install redis-server` or `brew install redis`) or set REDIS_URL.',
    );
  }
  const port = options.port ?? (await freePort());
  const dir = resolve(options.dir ?? '.');
  await mkdir(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir],
    { stdio: 'ignore', detached: false },
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await pingRedis(url, 300);
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new ServiceUnavailableError(`redis-server did not start on port ${port}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Makes sure Redis answers at `url`. If it does not and `startLocal` is set and the URL is a
 * loopback one, starts `redis-server` on that port. Otherwise throws with what to do.
 */
export async function ensureRedis(url: string, startLocal: boolean, dir: string): Promise<LocalRedis | undefined> {
  try {
    await pingRedis(url);
    return undefined;
  } catch (err) {
    const u = new URL(url);
    const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(u.hostname);
    if (!startLocal || !loopback || !hasRedisServer()) {
      throw new ServiceUnavailableError(
        `Redis does not answer at ${redactUrl(url)}. Start it (\`redis-server --maxmemory-policy noeviction\`), ` +
          'install it (`apt-get install redis-server` / `brew install redis`), or point REDIS_URL at one.',
        { cause: err },
      );
    }
    return startLocalRedis({ port: Number(u.port || 6379), dir });
  }
}
