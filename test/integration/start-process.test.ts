import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killProcesses, spawnProcess, waitForOutput } from '../support/processes.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;
beforeAll(async () => {
  t = await startTestServices();
});
afterAll(async () => {
  killProcesses();
  await t?.cleanup();
});

/** The environment `npm start` would see: the test services, development mode, no configured keys. */
function startEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { ...t.env, LOG_LEVEL: 'info', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'development', ...extra };
  delete env.DATAOPS_API_KEYS;
  return env;
}

async function redisKeys(pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await t.services.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

describe('npm start (workers/all.ts)', () => {
  it('on a port already in use says which port and how to pick another, before touching Redis', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const prefix = `${t.env.DATAOPS_QUEUE_PREFIX}busy`;
      const io = spawnProcess('workers/all.ts', startEnv({ PORT: String(port), HOST: '127.0.0.1', DATAOPS_QUEUE_PREFIX: prefix }));
      expect(await io.exit).toBe(1);
      expect(io.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(io.stderr()).toContain(`PORT=${port + 1} npm start`);
      expect(io.stderr()).not.toMatch(/\n\s+at /); // no stack trace
      expect(await redisKeys(`{${prefix}}*`)).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('prints the banner last, says the dev key is an admin key, and `npm start` exits with the process on SIGTERM', async () => {
    const io = spawnProcess({ command: 'npm', args: ['start', '--silent'] }, startEnv({ PORT: '0' }));
    await waitForOutput(io, /Authenticate with[\s\S]*─{72}\n\s*$/, { timeoutMs: 60_000, from: 'stdout' });
    const out = io.stdout();
    const bannerAt = out.indexOf('DataOps Agent is running');
    expect(bannerAt).toBeGreaterThan(0);
    const before = out.slice(0, bannerAt);
    const banner = out.slice(bannerAt);
    // the log lines came first (JSON: stdout is not a terminal), nothing JSON after the banner
    expect(before, out).toMatch(/^\{"level":\d+/m);
    expect(out).toMatch(/"msg":"dataops running"/);
    expect(banner).not.toContain('{"level"');
    expect(banner).toMatch(/Development API key \(user "dev", an admin key; shown once/);
    expect(banner).toMatch(/browsers sign in at http:\/\/127\.0\.0\.1:\d+\/admin\/login/);
    const url = /API\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(banner)![1]!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    io.child.kill('SIGTERM');
    // npm waits for node to drain and exits with its code (0), not at once with 143
    expect(await io.exit).toBe(0);
    expect(io.stdout()).toContain('shutting down');
  });
});
