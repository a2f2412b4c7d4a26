import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { lockDataDir } from '../../src/infra/data-dir-lock.js';
import { freePort } from '../../src/infra/local-redis.js';
import { deleteByPattern } from '../../src/infra/redis.js';
import { createServices } from '../../src/infra/services.js';
import { killProcesses, spawnProcess, waitForOutput, type TestProcess } from '../support/processes.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

const KEY = 'storage-process-key-0123456789';
let t: TestServices;
let dataDir: string;
beforeAll(async () => {
  t = await startTestServices();
  dataDir = await mkdtemp(join(tmpdir(), 'dataops-storage-'));
});
afterAll(async () => {
  killProcesses();
  await t?.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

/** Spawns an entry; resolves when `ready` matches its output, or when it exits first. */
async function start(entry: string, env: Record<string, string>, ready: RegExp): Promise<TestProcess> {
  const p = spawnProcess(entry, env);
  await waitForOutput(p, ready, { allowExit: true });
  return p;
}

describe('the data directory lock', () => {
  it('a second holder gets a clear error naming the holder; a stale lock is taken over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dataops-lock-'));
    try {
      const first = await lockDataDir(dir);
      await expect(lockDataDir(dir)).rejects.toThrow(new RegExp(`in use by process ${process.pid}.*npm run storage`));
      await first.release();
      const again = await lockDataDir(dir);
      await again.release();
      // a lock whose process is gone
      await writeFile(join(dir, 'storage.lock'), '2147483646\n');
      const taken = await lockDataDir(dir);
      await taken.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('two embedded storages on one data dir: the second refuses to start (no "Database is closed" later)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dataops-embedded-'));
    // its own queue prefix: the instance guard would (rightly) refuse other storage under the file's prefix
    const env = { ...t.env, DATAOPS_DATA_DIR: dir, DATAOPS_EMBEDDED: 'true', DATAOPS_QUEUE_PREFIX: `${t.env.DATAOPS_QUEUE_PREFIX}emb` };
    delete (env as Record<string, string | undefined>).DYNAMODB_ENDPOINT;
    delete (env as Record<string, string | undefined>).S3_ENDPOINT;
    const first = await createServices(loadConfig(env));
    try {
      const err = await createServices(loadConfig(env)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/is in use by process \d+/);
    } finally {
      await first.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded storage as its own process (npm run storage)', () => {
  it('serves the API process on its endpoints; a second storage process on the same data dir exits with a clear error', async () => {
    const [dynamoPort, s3Port] = [await freePort(), await freePort()];
    const env: Record<string, string> = {
      ...t.env,
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      DATAOPS_DATA_DIR: dataDir,
      DATAOPS_QUEUE_PREFIX: `${t.env.DATAOPS_QUEUE_PREFIX}proc`,
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamoPort}`,
      S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      DATAOPS_API_KEYS: `alice:${KEY}`,
      PORT: '0',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    // no credentials, no DATAOPS_EMBEDDED: loopback endpoints are enough
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'DATAOPS_EMBEDDED']) delete env[k];
    // the API first: it waits for storage to answer
    const webStarting = start('producers/server.ts', env, /"msg":"API listening"/);
    const storage = await start('workers/storage.ts', env, /"msg":"storage running"/);
    const web = await webStarting;
    const url = /"url":"(http:\/\/[^"]+)"/.exec(web.out())![1]!;
    const auth = { authorization: `Bearer ${KEY}` };
    const created = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
    expect(created.status).toBe(201);
    const { sessionId } = (await created.json()) as { sessionId: string };
    const up = await fetch(`${url}/v1/sessions/${sessionId}/artifacts?name=a.txt`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'hello' });
    expect(up.status).toBe(201);
    const { artifactId } = (await up.json()) as { artifactId: string };
    expect(await (await fetch(`${url}/v1/artifacts/${artifactId}/content`, { headers: auth })).text()).toBe('hello');

    const second = await start('workers/storage.ts', { ...env, DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}`, S3_ENDPOINT: `http://127.0.0.1:${await freePort()}` }, /never/);
    expect(await second.exit).toBe(1);
    expect(second.out()).toMatch(new RegExp(`in use by process ${storage.child.pid}`));
    // and an all-in-one process on the same data dir refuses the same way
    const allInOne = { ...env, DATAOPS_EMBEDDED: 'true' };
    delete (allInOne as Record<string, string | undefined>).DYNAMODB_ENDPOINT;
    delete (allInOne as Record<string, string | undefined>).S3_ENDPOINT;
    const clash = await start('workers/all.ts', allInOne, /never/);
    expect(await clash.exit).toBe(1);
    expect(clash.out()).toMatch(/is in use by process/);

    web.child.kill('SIGTERM');
    expect(await web.exit).toBe(0);
    storage.child.kill('SIGTERM');
    expect(await storage.exit).toBe(0);
    // the processes' own prefix is not the file's: its keys go here (the cleanup knows only the file's)
    const own = `${t.env.DATAOPS_QUEUE_PREFIX}proc`;
    await deleteByPattern(t.services.redis, `${own}:*`);
    await deleteByPattern(t.services.redis, `{${own}}*`);
    expect(await t.services.redis.keys(`*${own}*`)).toEqual([]);
  }, 300_000);
});

describe('test services with storage in its own process (what the benches use)', () => {
  it('serve sessions and artifacts from the storage process, and stop it on cleanup', async () => {
    const own = await startTestServices({}, { storage: 'process' });
    const endpoint = own.env.DYNAMODB_ENDPOINT!;
    const { createRuntime } = await import('../../src/runtime/create-runtime.js');
    const { createLogger } = await import('../../src/logger.js');
    const rt = await createRuntime(own.config, createLogger('silent'), { services: own.services });
    try {
      expect(endpoint).not.toBe(t.env.DYNAMODB_ENDPOINT);
      const s = await rt.sessions.create('alice');
      await rt.sessions.addMessage(s.sessionId, { role: 'user', content: 'hello' });
      const stored = await rt.artifacts.forTenant({ userId: 'alice', sessionId: s.sessionId }).store({ workflowName: 'upload', createdBy: 'alice', name: 'a.txt', content: 'hi' });
      expect(await rt.artifacts.getText(stored.artifactId)).toBe('hi');
      expect((await rt.sessions.getRecentMessages(s.sessionId, 5)).map((m) => m.content)).toEqual(['hello']);
    } finally {
      await rt.close();
      await own.cleanup();
    }
    // the storage process is gone with its port
    await expect(fetch(endpoint)).rejects.toThrow();
  }, 120_000);
});
