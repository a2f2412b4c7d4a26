import { execFile, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../producers/server.js';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
let dir: string;
beforeAll(async () => {
  h = await startApiHarness();
  await h.startWorkers();
  dir = await mkdtemp(join(tmpdir(), 'dataops-cli-'));
});
afterAll(async () => {
  await h?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real entry as a child process, as a user would (`bin`: another entry, e.g. an installed one). */
function dataops(args: string[], env: Record<string, string> = {}, o: { bin?: string; cwd?: string; onStart?: () => void } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, o.bin ? [o.bin, ...args] : ['--import', 'tsx', 'src/cli/dataops/bin.ts', ...args], {
      cwd: o.cwd ?? process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATAOPS_URL: h.url, DATAOPS_TOKEN: KEYS.alice, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('spawn', () => o.onStart?.());
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('dataops CLI (child process against a real server)', () => {
  it('usage errors exit 2 with one line on stderr', async () => {
    const none = await dataops(['ask']);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toContain("missing required argument 'message'");
    const unknown = await dataops(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^dataops: unknown command 'frobnicate'/);
    const missingFile = await dataops(['ask', 'hello', '--attach', join(dir, 'missing.jil')]);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toBe(`dataops: cannot read attachment ${join(dir, 'missing.jil')}: no such file\n`);
    const directory = await dataops(['ask', 'hello', '--attach', dir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toBe(`dataops: cannot read attachment ${dir}: it is a directory, not a file\n`);
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.csv');
      await writeFile(locked, 'a\n');
      await chmod(locked, 0o000);
      expect((await dataops(['ask', 'hello', '--attach', locked])).stderr).toContain('permission denied');
    }
    // too long a message is refused before a session is made or a file uploaded
    const sessionsBefore = (await dataops(['sessions'])).stdout;
    const tooLong = await dataops(['ask', 'x'.repeat(100_001), '--attach', 'examples/csv/orders.csv']);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toBe('dataops: the message is 100001 characters long; the server takes at most 100000 (attach longer text as a file with -a)\n');
    expect((await dataops(['sessions'])).stdout).toBe(sessionsBefore);
    expect((await dataops(['--help'])).code).toBe(0);
    expect((await dataops([])).code).toBe(2);
  });

  it('auth errors exit 3, unknown ids 4, an unreachable server 5', async () => {
    const bad = await dataops(['sessions', '--token', 'not-a-key']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toBe('dataops: Invalid credentials\n');
    expect(bad.stderr).not.toContain('not-a-key');
    expect((await dataops(['sessions'], { DATAOPS_TOKEN: '' })).code).toBe(3);
    const missing = await dataops(['get', 'art_00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('not found');
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const down = await dataops(['sessions', '--url', `http://127.0.0.1:${port}`]);
    expect(down.code).toBe(5);
    expect(down.stderr).toBe(`dataops: cannot reach the server at http://127.0.0.1:${port} (ECONNREFUSED)\n`);
  });

  it('sessions lists the caller’s sessions; artifacts and get -o stream the content to a file', async () => {
    const s = (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId as string;
    const body = 'id,v\n1,2\n'.repeat(1000);
    const art = (await h.call('POST', `/v1/sessions/${s}/artifacts?name=data.csv`, { token: KEYS.alice, body, headers: { 'content-type': 'text/csv' } })).body
      .artifactId as string;
    const list = await dataops(['sessions']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(s);
    const json = await dataops(['sessions', '--json']);
    expect((JSON.parse(json.stdout) as { sessionId: string }[]).map((x) => x.sessionId)).toContain(s);
    const arts = await dataops(['artifacts', s]);
    expect(arts.stdout).toContain(art);
    expect(arts.stdout).toContain('data.csv');
    const target = join(dir, 'out.csv');
    const got = await dataops(['get', art, '-o', target]);
    expect(got.code).toBe(0);
    expect(await readFile(target, 'utf8')).toBe(body);
    const toStdout = await dataops(['get', art]);
    expect(toStdout.stdout).toBe(body);
    const bobs = await dataops(['artifacts', s], { DATAOPS_TOKEN: KEYS.bob });
    expect(bobs.code).toBe(4);
  });

  it('checkpoint and restore', async () => {
    const s = (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId as string;
    await h.rt.sessions.update(s, { globalContext: { stage: 'one' } });
    const cp = await dataops(['checkpoint', s, 'first']);
    expect(cp.code).toBe(0);
    expect(cp.stdout).toMatch(/^checkpoint first saved \(art_/);
    await h.rt.sessions.update(s, { globalContext: { stage: 'two' } });
    const r = await dataops(['restore', s, 'first']);
    expect(r.code).toBe(0);
    expect((await h.rt.sessions.get(s)).globalContext).toEqual({ stage: 'one' });
    expect((await dataops(['restore', s, 'nope'])).code).toBe(4);
  });

  it('ask: new session, attachment uploaded, live progress on stderr, reply and artifact ids on stdout', async () => {
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'some notes\n');
    const first = await dataops(['ask', 'please write a report', '--attach', file]);
    expect(first.code, first.stderr).toBe(0);
    const sessionId = /session (sess_[0-9a-f-]+)/.exec(first.stderr)?.[1];
    expect(sessionId).toBeDefined();
    expect(first.stderr).toMatch(/uploaded notes\.txt as art_/);
    expect(first.stdout).toContain('What should the report be called?');
    const second = await dataops(['ask', 'title: "Weekly", format markdown', '--session', sessionId!, '--json']);
    expect(second.code, second.stderr).toBe(0);
    const out = JSON.parse(second.stdout) as { sessionId: string; outcome: string; workflow: string; artifacts: string[] };
    expect(out).toMatchObject({ sessionId, outcome: 'succeeded', workflow: 'test.report' });
    expect(out.artifacts).toHaveLength(1);
    const text = await dataops(['get', out.artifacts[0]!]);
    expect(text.stdout).toBe('# Weekly\nformat: markdown\n');
    const third = await dataops(['ask', 'make numbers with start = 4', '--session', sessionId!]);
    expect(third.code).toBe(0);
    expect(third.stderr, third.stdout).toMatch(/test\.numbers\/\w+ (started|finished)/);
  });

  it('ask: a failed job exits 1', async () => {
    const r = await dataops(['ask', 'fail please']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^dataops: .*failed/);
  });

  it('--attach before or after the message, repeatable, never eats the message', async () => {
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    await writeFile(a, 'first\n');
    await writeFile(b, 'second\n');
    const before = await dataops(['ask', '--attach', a, '-a', b, 'please write a report', '--json']);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stderr).toMatch(/uploaded a\.txt as art_/);
    expect(before.stderr).toMatch(/uploaded b\.txt as art_/);
    const sessionId = (JSON.parse(before.stdout) as { sessionId: string }).sessionId;
    const msgs = await h.rt.sessions.listMessages(sessionId, {});
    const user = msgs.items.find((m) => m.role === 'user');
    expect(user?.content).toBe('please write a report');
    expect(user?.artifacts).toHaveLength(2);
    const after = await dataops(['ask', 'please write a report', '--attach', a]);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('What should the report be called?');
  });

  it('(retrying) only when BullMQ will run the node again', async () => {
    const rejected = await dataops(['ask', 'reject please']);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/test\.reject\/\w+ failed: .*will stay wrong/);
    expect(rejected.stderr).not.toContain('(retrying)');
    // a plain error is retried (DATAOPS_JOB_ATTEMPTS 3): each attempt shows as a start, the final failure is not "retrying"
    const failed = await dataops(['ask', 'fail please']);
    expect(failed.code).toBe(1);
    expect(failed.stderr.match(/> test\.fail\/boom started/g)?.length).toBe(3);
    const lines = failed.stderr.split('\n').filter((l) => /test\.fail\/\w+ failed/.test(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).not.toContain('(retrying)');
  });

  it('a server that goes away during ask exits 5 within seconds', async () => {
    const srv = await startServer(h.rt, { log: createLogger('silent'), port: 0, host: '127.0.0.1', heartbeatMs: 5000, drainMs: 200 });
    // nothing takes the message while the queue is paused, so ask is still waiting when the server stops
    await h.rt.producer.queues.orchestrator.pause();
    let closedAt = 0;
    try {
      const pending = dataops(['ask', 'please write a report', '--timeout', '60'], { DATAOPS_URL: srv.url });
      // once the message is queued, stop the server
      for (let i = 0; i < 200 && (await h.rt.producer.queues.orchestrator.getWaitingCount()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await srv.close();
      closedAt = Date.now();
      const r = await pending;
      const seconds = (Date.now() - closedAt) / 1000;
      expect(r.code, r.stderr).toBe(5);
      expect(r.stderr.trim().split('\n').pop()).toBe(`dataops: cannot reach the server at ${srv.url} (ECONNREFUSED)`);
      expect(seconds).toBeLessThan(10);
    } finally {
      await srv.close();
      await h.rt.producer.queues.orchestrator.resume();
    }
  });

  it('installs from the checkout with npm install -g (as npm link does) and runs from any directory', async () => {
    const prefix = join(dir, 'global');
    await mkdir(prefix);
    await promisify(execFile)('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', prefix, process.cwd()], { timeout: 60_000 });
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    const bin = join(prefix, 'bin', 'dataops');
    const help = await dataops(['--help'], {}, { bin, cwd: elsewhere });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Talk to a DataOps Agent server');
    const list = await dataops(['workflows'], {}, { bin, cwd: elsewhere });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('test.report');
  });
});
