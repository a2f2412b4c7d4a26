/**
 * The Procfile topology as separate processes — storage, web, orchestrator, two nodes workers,
 * maintenance — on a PRIVATE redis-server (AOF on) that this suite starts. 100 user messages (each
 * one csv.pipeline run: profile, then DDL ∥ quality) while a nodes worker is killed with SIGKILL
 * mid-flow (twice, restarted each time) and the private Redis is stopped and started again.
 * Figures: runs completed, duplicate and orphan artifacts, lost messages, recovery time.
 *
 * Environment: RELIABILITY_MESSAGES (default 100), RELIABILITY_SESSIONS (default: one session per message).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, createS3 } from '../../src/infra/aws-clients.js';
import { freePort } from '../../src/infra/local-redis.js';
import { pingRedis } from '../../src/infra/redis.js';

const MESSAGES = Number(process.env.RELIABILITY_MESSAGES ?? 100);
const SESSIONS = Number(process.env.RELIABILITY_SESSIONS ?? MESSAGES);
const KEY = `reliability-${randomBytes(8).toString('hex')}`;
const LOCK_MS = 4000;
const STALLED_MS = 2000;

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<number | null>;
}

const procs: Proc[] = [];
let workDir = '';
let redisProc: ChildProcess | undefined;

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  if (redisProc && redisProc.exitCode === null) redisProc.kill('SIGKILL');
  if (workDir && !process.env.RELIABILITY_KEEP) await rm(workDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** redis-server on `port` with AOF (fsync always), so a stop + start loses nothing. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await pingRedis(`redis://127.0.0.1:${port}`, 300);
      return child;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) throw err;
      await sleep(50);
    }
  }
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM'); // redis fsyncs the AOF and exits
  await exited;
}

function startProc(name: string, entry: string, env: Record<string, string>): Proc {
  const log = join(workDir, `${name}.log`);
  const out = createWriteStream(log);
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const p = { name, child, log, exited };
  procs.push(p);
  return p;
}

async function waitForLog(p: Proc, pattern: RegExp, ms = 240_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = await readFile(p.log, 'utf8').catch(() => '');
    const m = pattern.exec(text);
    if (m) return m[1] ?? m[0];
    if (p.child.exitCode !== null) throw new Error(`${p.name} exited with ${p.child.exitCode}:\n${text.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`${p.name} did not log ${pattern} in ${ms} ms:\n${text.slice(-3000)}`);
    await sleep(100);
  }
}

describe('the Procfile topology under kill -9 and a Redis restart', () => {
  it(`${MESSAGES} messages → ${MESSAGES} completed runs, no duplicate or orphan artifacts, no lost messages`, async () => {
    workDir = await mkdtemp(join(tmpdir(), 'dataops-reliability-'));
    const redisPort = await freePort();
    const redisDir = join(workDir, 'redis');
    await import('node:fs/promises').then((fs) => fs.mkdir(redisDir, { recursive: true }));
    redisProc = await startRedis(redisPort, redisDir);
    const [dynamoPort, s3Port] = [await freePort(), await freePort()];
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? workDir,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      DATAOPS_START_REDIS: 'false',
      DATAOPS_QUEUE_PREFIX: `rel${randomBytes(3).toString('hex')}`,
      DATAOPS_DATA_DIR: join(workDir, 'data'),
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamoPort}`,
      S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      DATAOPS_API_KEYS: `rel:${KEY}`,
      DATAOPS_RATE_LIMIT_PER_MINUTE: '1000000',
      DATAOPS_LOCK_DURATION_MS: String(LOCK_MS),
      DATAOPS_STALLED_INTERVAL_MS: String(STALLED_MS),
      DATAOPS_JOB_BACKOFF_MS: '500',
      DATAOPS_JOB_ATTEMPTS: '5',
      DATAOPS_SHUTDOWN_TIMEOUT_MS: '5000',
      PORT: '0',
    };
    const t0 = Date.now();
    // storage first: on a busy machine it can take longer to listen than the others wait for it
    await waitForLog(startProc('storage', 'workers/storage.ts', env), /storage running/);
    const web = startProc('web', 'producers/server.ts', env);
    startProc('orchestrator', 'workers/orchestrator.ts', env);
    let nodesA = startProc('nodes-1', 'workers/nodes.ts', env);
    const nodesB = startProc('nodes-2', 'workers/nodes.ts', env);
    startProc('maintenance', 'workers/maintenance.ts', env);
    const url = await waitForLog(web, /"url":"(http:\/\/[^"]+)".*"msg":"API listening"/);
    for (const p of procs) if (p.name !== 'web' && p.name !== 'storage') await waitForLog(p, /running/);
    const startupMs = Date.now() - t0;

    const auth = { authorization: `Bearer ${KEY}` };
    const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> => {
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await fetch(`${url}${path}`, {
            method,
            headers: { ...auth, ...headers, ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}) },
            ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
          });
          const text = await r.text();
          // a 503 while Redis restarts is the API answering truthfully: the client retries (same idempotency key)
          if (r.status === 503 && attempt < 120) {
            await sleep(500);
            continue;
          }
          return { status: r.status, json: text ? JSON.parse(text) : undefined };
        } catch (err) {
          if (attempt >= 120) throw err;
          await sleep(500);
        }
      }
    };

    const csv = await readFile('examples/csv/orders.csv', 'utf8');
    const sessions: { id: string; csv: string }[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const s = await api('POST', '/v1/sessions', {});
      expect(s.status).toBe(201);
      const up = await api('POST', `/v1/sessions/${s.json.sessionId}/artifacts?name=orders-${i}.csv`, csv, { 'content-type': 'text/csv' });
      expect(up.status).toBe(201);
      sessions.push({ id: s.json.sessionId, csv: up.json.artifactId });
    }

    // the workload: messages sent in waves while the faults happen
    const jobs: { session: string; jobId: string; messageId: string }[] = [];
    const send = async (i: number) => {
      const s = sessions[i % sessions.length]!;
      const r = await api(
        'POST',
        `/v1/sessions/${s.id}/messages`,
        { content: 'profile this CSV and give me Postgres DDL and a quality report', artifacts: [s.csv] },
        { 'idempotency-key': `m-${i}` },
      );
      expect(r.status, JSON.stringify(r.json)).toBe(202);
      jobs.push({ session: s.id, jobId: r.json.jobId, messageId: r.json.messageId });
    };
    const stateOf = async (jobId: string) => (await api('GET', `/v1/jobs/${jobId}`)).json as { state: string; result?: any; error?: string | null };
    const doneCount = async () => {
      let n = 0;
      for (const j of jobs) {
        const s = await stateOf(j.jobId);
        if (s.state === 'completed' || s.state === 'failed') n++;
      }
      return n;
    };
    const activeNodes = async () => {
      const { Redis } = await import('ioredis');
      const r = new Redis(env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return await r.llen(`{${env.DATAOPS_QUEUE_PREFIX}}:nodes:active`);
      } catch {
        return 0;
      } finally {
        r.disconnect();
      }
    };
    const killNodes = async (label: string) => {
      // wait until node jobs are running (so the kill lands mid-write), then SIGKILL and restart
      const deadline = Date.now() + 30_000;
      while ((await activeNodes()) === 0 && Date.now() < deadline) await sleep(20);
      const active = await activeNodes();
      nodesA.child.kill('SIGKILL');
      await nodesA.exited;
      faults.push(`${label}: SIGKILL nodes-1 with ${active} node jobs active`);
      await sleep(1000);
      nodesA = startProc(`nodes-1-${label}`, 'workers/nodes.ts', env);
    };
    const faults: string[] = [];

    const third = Math.floor(MESSAGES / 3);
    for (let i = 0; i < third; i++) await send(i);
    await killNodes('kill-1');
    for (let i = third; i < 2 * third; i++) await send(i);
    // Redis restart mid-flow
    const activeAtRestart = await activeNodes();
    const restartAt = Date.now();
    await stopRedis(redisProc);
    await sleep(2000);
    redisProc = await startRedis(redisPort, redisDir);
    faults.push(`redis restart (${Date.now() - restartAt} ms down, ${activeAtRestart} node jobs active)`);
    for (let i = 2 * third; i < MESSAGES; i++) await send(i);
    await killNodes('kill-2');

    // every job finishes
    const deadline = Date.now() + 600_000;
    while ((await doneCount()) < jobs.length) {
      if (Date.now() > deadline) break;
      await sleep(1000);
    }
    const totalMs = Date.now() - t0;

    // ---- figures ----
    let completed = 0;
    const failures: string[] = [];
    const replyArtifacts = new Set<string>();
    const runIds = new Set<string>();
    for (const j of jobs) {
      const s = await stateOf(j.jobId);
      if (s.state === 'completed' && s.result?.outcome === 'succeeded') {
        completed++;
        for (const a of s.result.artifacts ?? []) replyArtifacts.add(a);
        if (s.result.runId) runIds.add(s.result.runId);
      } else failures.push(`${j.jobId}: ${s.state} ${s.result?.outcome ?? ''} ${s.error ?? ''}`.trim());
    }
    let lostMessages = 0;
    let duplicateMessages = 0;
    let duplicateArtifacts = 0;
    let orphanArtifacts = 0;
    const duplicateDetail: string[] = [];
    const uploads = new Set(sessions.map((s) => s.csv));
    const allArtifactIds = new Set<string>();
    for (const s of sessions) {
      const mine = jobs.filter((j) => j.session === s.id);
      const messages = (await api('GET', `/v1/sessions/${s.id}/messages?limit=100`)).json.items as { messageId: string; role: string }[];
      const ids = messages.map((m) => m.messageId);
      for (const j of mine) {
        for (const id of [j.messageId, `${j.messageId}.reply`]) {
          const n = ids.filter((x) => x === id).length;
          if (n === 0) lostMessages++;
          if (n > 1) duplicateMessages += n - 1;
        }
      }
      const artifacts: any[] = [];
      let cursor: string | undefined;
      do {
        const page = (await api('GET', `/v1/sessions/${s.id}/artifacts?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json;
        artifacts.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const byOutput = new Map<string, string[]>();
      for (const a of artifacts) {
        allArtifactIds.add(a.artifactId);
        if (uploads.has(a.artifactId)) continue;
        const key = `${a.tags?.runId ?? '?'}|${a.tags?.node ?? '?'}|${a.name ?? ''}|${a.workflowName}`;
        byOutput.set(key, [...(byOutput.get(key) ?? []), a.artifactId]);
        if (!replyArtifacts.has(a.artifactId)) orphanArtifacts++;
      }
      for (const [key, list] of byOutput) {
        if (list.length > 1) {
          duplicateArtifacts += list.length - 1;
          duplicateDetail.push(`${key}: ${list.length} artifacts (${list.join(', ')})`);
        }
      }
    }
    // stored objects without artifact metadata
    const s3 = createS3({ region: 'us-east-1', endpoint: env.S3_ENDPOINT, credentials: LOCAL_CREDENTIALS });
    let orphanObjects = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'dataops-artifacts', ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (!allArtifactIds.has(o.Key!.split('/').pop()!)) orphanObjects++;
      token = page.NextContinuationToken;
    } while (token);
    s3.destroy();

    const figures = {
      messages: jobs.length,
      runsCompleted: `${completed}/${jobs.length}`,
      distinctRuns: runIds.size,
      duplicateArtifacts,
      orphanArtifacts,
      orphanObjects,
      lostMessages,
      duplicateMessages,
      faults,
      lockDurationMs: LOCK_MS,
      stalledIntervalMs: STALLED_MS,
      startupMs,
      totalSeconds: Math.round(totalMs / 1000),
    };
    process.stdout.write(`\nreliability figures: ${JSON.stringify(figures, null, 2)}\n`);
    if (duplicateDetail.length) process.stdout.write(`duplicate artifacts:\n  ${duplicateDetail.slice(0, 50).join('\n  ')}\n`);
    if (failures.length) process.stdout.write(`not completed:\n  ${failures.slice(0, 50).join('\n  ')}\n`);

    expect(completed, failures.join('\n')).toBe(jobs.length);
    expect(lostMessages).toBe(0);
    expect(duplicateMessages).toBe(0);
    expect(duplicateArtifacts, duplicateDetail.join('\n')).toBe(0);
    expect(orphanArtifacts).toBe(0);
    expect(orphanObjects).toBe(0);

    // a clean stop of every process
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    for (const p of procs) await p.exited;
  });
});
