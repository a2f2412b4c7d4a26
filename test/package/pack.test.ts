import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

/*
 * `npm run test:pack` (not part of `npm test`: packing builds the whole project, which takes a minute or
 * two on a busy machine; .ci/run runs it after the tests). The done-when test of the package: `npm pack`, install the tarball into a fresh project, and use
 * `dataops-agent/client` and `dataops-agent/producer` from it with plain Node (no tsx, no sources)
 * against a running instance.
 */

const run = promisify(execFile);
const repo = resolve('.');
let h: ApiHarness;
let dir: string;
let app: string;
let installedWith = '';

interface Out {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs plain `node` in the temporary project (no --import tsx anywhere). */
function node(args: string[], env: Record<string, string>): Promise<Out> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: app, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/**
 * Installs the tarball: `npm install --offline` when the npm cache has every dependency; otherwise
 * (no network here) the tarball is unpacked into node_modules/dataops-agent exactly as npm would and
 * its dependencies are linked from this checkout's node_modules (the same versions the lock pins).
 */
async function install(tarball: string): Promise<void> {
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'nightly-platform', private: true, type: 'module', dependencies: { 'dataops-agent': `file:${tarball}` } }));
  try {
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app, timeout: 60_000 });
    installedWith = 'npm install --offline';
    return;
  } catch {
    installedWith = 'unpacked tarball + linked dependencies';
  }
  const target = join(app, 'node_modules', 'dataops-agent');
  await mkdir(target, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  for (const name of await readdir(join(repo, 'node_modules'))) {
    if (name.startsWith('.') || name === 'dataops-agent') continue;
    await symlink(join(repo, 'node_modules', name), join(app, 'node_modules', name)).catch(() => undefined);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dataops-pack-'));
  app = join(dir, 'app');
  await mkdir(app);
  // prepack builds dist/ first
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repo, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  const paths = packed!.files.map((f) => f.path);
  expect(paths).toContain('dist/src/client/http/index.js');
  expect(paths).toContain('dist/src/client/http/index.d.ts');
  expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);
  await install(join(dir, packed!.filename));
  for (const f of ['nightly.mjs', 'nightly-client.mjs', 'nightly-producer.mjs']) await cp(join(app, 'node_modules/dataops-agent/examples/service', f), join(app, f));
  await cp(join(repo, 'examples/csv/orders.csv'), join(app, 'orders.csv'));
  h = await startApiHarness({ workflows: 'builtin' });
  await h.startWorkers();
}, 240_000);

afterAll(async () => {
  await h?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(`the packed package in another project`, () => {
  it('types resolve from the built .d.ts (tsc, NodeNext)', async () => {
    await writeFile(
      join(app, 'check.ts'),
      [
        "import { createClient, NotFoundError, type Job } from 'dataops-agent/client';",
        "import { createProducer, type UserProducer } from 'dataops-agent/producer';",
        "import { defineWorkflow, param, WorkflowRegistry } from 'dataops-agent/workflows';",
        "const c = createClient({ baseUrl: 'http://x', token: 't' });",
        "const j: Promise<Job> = c.getJob('j');",
        'const p: (u: UserProducer) => unknown = (u) => u.startRun;',
        'export { c, j, p, NotFoundError, createProducer, defineWorkflow, param, WorkflowRegistry };',
      ].join('\n'),
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['check.ts'] }),
    );
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const r = await run(process.execPath, [tsc, '-p', app], { cwd: app }).then(
      () => ({ ok: true, out: '' }),
      (e: { stdout?: string }) => ({ ok: false, out: e.stdout ?? '' }),
    );
    expect(r.out).toBe('');
    expect(r.ok).toBe(true);
  });

  it(`the nightly example gives the same artifacts through the client and through the producer`, async () => {
    const viaClient = await node(['nightly-client.mjs', 'orders.csv', 'client.sql'], { DATAOPS_URL: h.url, DATAOPS_TOKEN: KEYS.alice });
    expect(viaClient.code, viaClient.stderr).toBe(0);
    const viaProducer = await node(['nightly-producer.mjs', 'orders.csv', 'producer.sql'], { ...h.t.env, DATAOPS_USER: 'alice' });
    expect(viaProducer.code, viaProducer.stderr).toBe(0);
    const a = JSON.parse(viaClient.stdout) as { sessionId: string; artifacts: unknown[] };
    const b = JSON.parse(viaProducer.stdout) as { sessionId: string; artifacts: unknown[] };
    expect(a.sessionId).not.toBe(b.sessionId);
    const sort = (x: unknown[]) => x.map((v) => JSON.stringify(v)).sort();
    expect(sort(b.artifacts)).toEqual(sort(a.artifacts));
    expect(a.artifacts.length).toBeGreaterThanOrEqual(3);
    const ddl = await readFile(join(app, 'client.sql'), 'utf8');
    expect(ddl).toMatch(/CREATE TABLE/i);
    expect(await readFile(join(app, 'producer.sql'), 'utf8')).toBe(ddl);
    // both sessions are alice's: the producer acted for the user it named
    expect((await h.rt.sessions.get(b.sessionId)).userId).toBe('alice');
    console.info(`installed with: ${installedWith}`);
  });

  it('a request retried with the same idempotency key yields one job (client retry after a lost answer, and the producer)', async () => {
    await writeFile(
      join(app, 'retry.mjs'),
      `import { createClient } from 'dataops-agent/client';
import { createProducer } from 'dataops-agent/producer';
let calls = 0;
const keys = [];
// the first answer to the run request is lost on the way back: the client must send it again, with the same key
const lossy = async (url, init) => {
  const res = await fetch(url, init);
  if (String(url).endsWith('/runs') && calls++ === 0) { keys.push(new Headers(init.headers).get('idempotency-key')); throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }); }
  if (String(url).endsWith('/runs')) keys.push(new Headers(init.headers).get('idempotency-key'));
  return res;
};
const client = createClient({ baseUrl: process.env.DATAOPS_URL, token: process.env.DATAOPS_TOKEN, fetch: lossy, retry: { baseDelayMs: 10 } });
const { sessionId } = await client.createSession();
const csv = await client.uploadArtifact(sessionId, { data: 'id,v\\n1,2\\n' }, { name: 'tiny.csv', mimeType: 'text/csv' });
const body = { workflow: 'csv.profile', params: { source: csv.artifactId } };
const first = await client.startRun(sessionId, body);
const again = await client.startRun(sessionId, body, { idempotencyKey: keys[0] });
const producer = await createProducer();
const viaProducer = await producer.forUser('alice').startRun(sessionId, body, { idempotencyKey: keys[0] });
const other = await producer.forUser('alice').startRun(sessionId, body, { idempotencyKey: 'another-key' });
await producer.close();
console.log(JSON.stringify({ sessionId, keys, first, again, viaProducer, other }));
`,
    );
    const r = await node(['retry.mjs'], { ...h.t.env, DATAOPS_URL: h.url, DATAOPS_TOKEN: KEYS.alice });
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as { sessionId: string; keys: string[]; first: { jobId: string; duplicate: boolean }; again: { jobId: string; duplicate: boolean }; viaProducer: { jobId: string; duplicate: boolean }; other: { jobId: string; duplicate: boolean } };
    // the lost attempt, its retry, and the explicit repeat: one key
    expect(o.keys).toHaveLength(3);
    expect(new Set(o.keys).size).toBe(1);
    // the retry found the job its lost first attempt made
    expect(o.first.duplicate).toBe(true);
    expect(o.again).toEqual({ ...o.first, duplicate: true });
    expect(o.viaProducer.jobId).toBe(o.first.jobId);
    expect(o.viaProducer.duplicate).toBe(true);
    expect(o.other.jobId).not.toBe(o.first.jobId);
    // one job per key in the queues: the run's top job exists once
    const runs = new Set<string>();
    for (const q of h.rt.producer.allQueues()) {
      for (const j of await q.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'waiting-children'])) {
        const id = j?.id ?? '';
        if (id.startsWith(`run-${o.sessionId}-`)) runs.add(id.split('.')[0]!);
      }
    }
    expect(runs.size).toBe(2);
  });
});
