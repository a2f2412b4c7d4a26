import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServices, type TestServices } from '../support/test-services.js';

/**
 * The README's curl walkthrough, run as written against `npm start`'s entry: the only changes are
 * the port (a free one instead of 3000). It needs curl and jq, as the README does.
 */
const repo = resolve(import.meta.dirname, '../..');
const hasTools = ['curl', 'jq'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);

let t: TestServices;
let dir: string;
let server: ChildProcess | undefined;
let port: number;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

/** The fenced `sh` blocks that follow a README heading, up to the next heading. */
function shBlocks(readme: string, heading: string): string[] {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const rest = readme.slice(start + heading.length);
  const section = rest.slice(0, rest.search(/\n#{2,3} /) >>> 0 || rest.length);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Runs a script with only PATH and HOME from this environment, as a newcomer's shell would. */
function bash(script: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('bash', ['-c', script], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  t = await startTestServices();
  dir = await mkdtemp(join(tmpdir(), 'dataops-readme-'));
  await symlink(join(repo, 'examples'), join(dir, 'examples'));
  port = await freePort();
  const env: Record<string, string> = {
    ...t.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    PORT: String(port),
    // where the README's `cat .dataops/dev-api-key` finds the key
    DATAOPS_DATA_DIR: join(dir, '.dataops'),
  };
  delete env.DATAOPS_API_KEYS;
  server = spawn(process.execPath, ['--import', 'tsx', join(repo, 'workers/all.ts')], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  server.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  server.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no banner in 90 s:\n${out}`)), 90_000);
    server!.stdout!.on('data', () => {
      if (out.includes('DataOps Agent is running')) {
        clearTimeout(timer);
        ok();
      }
    });
    server!.on('exit', (code) => fail(new Error(`npm start exited ${code}:\n${out}`)));
  });
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const gone = new Promise((r) => server!.on('exit', r));
    server.kill('SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 15_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  await t?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.runIf(hasTools)("the README's curl walkthrough", () => {
  it('runs as written: a session, an upload, a question, the reply with its artifacts, an artifact, a dry run', { timeout: 300_000 }, async () => {
    const readme = await readFile(join(repo, 'README.md'), 'utf8');
    const [conversation, direct] = shBlocks(readme, '### A first conversation (curl)');
    expect(conversation).toContain('/v1/sessions');
    expect(direct).toContain('dryRun=true');
    const script = `set -eu\n${conversation}\n${direct}\n`.replaceAll('http://127.0.0.1:3000', `http://127.0.0.1:${port}`);
    const run = await bash(script);
    expect(run.status, `${run.stderr}\n${run.stdout}`).toBe(0);
    const lines = run.stdout.split('\n');
    // step 4 prints state, outcome, reply and the artifact ids as JSON values
    expect(lines[0]).toBe('"completed"');
    expect(lines[1]).toBe('"succeeded"');
    expect(lines[2]).toMatch(/^".+"$/);
    expect(run.stdout).toMatch(/"art_[0-9a-f-]{36}"/);
    // step 5 printed the start of a real artifact; the dry run's mode closes the output
    expect(run.stdout).not.toContain('"error"');
    expect(run.stdout.trimEnd()).toMatch(/"(tree|coordinator)"$/);
  });
});
