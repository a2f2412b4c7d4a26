import { spawn, type ChildProcess } from 'node:child_process';

/** A spawned process with its output collected as it arrives. */
export interface TestProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  out(): string;
  /** stdout so far. */
  stdout(): string;
  /** stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
}

const spawned = new Set<ChildProcess>();

/**
 * Spawns `node --import tsx <entry>` (a repository path such as `producers/server.ts`), or
 * `command` with `args`, with exactly `env`; collects its output. Every process is remembered for
 * `killProcesses`.
 */
export function spawnProcess(entry: string | { command: string; args: string[] }, env: Record<string, string | undefined>): TestProcess {
  const [command, args] = typeof entry === 'string' ? [process.execPath, ['--import', 'tsx', entry]] : [entry.command, entry.args];
  // its own process group, so `killProcesses` also reaches what it spawned (npm → node)
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  spawned.add(child);
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    out += c.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exit.then(() => spawned.delete(child));
  return { child, out: () => out, stdout: () => stdout, stderr: () => stderr, exit };
}

export interface WaitOptions {
  /** Give up after this long. Default 120 s (a cold `tsx` start on a busy machine is slow). */
  timeoutMs?: number;
  /** Resolve (with null) instead of rejecting when the process exits first. Default false. */
  allowExit?: boolean;
  /** Which output to match: both interleaved (`out`, default), or `stdout` / `stderr` alone. */
  from?: 'out' | 'stdout' | 'stderr';
}

/** Resolves with the first match of `ready` in the process's output; rejects on timeout or an early exit. */
export function waitForOutput(p: TestProcess, ready: RegExp, options: WaitOptions = {}): Promise<RegExpExecArray | null> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const text = p[options.from ?? 'out'];
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = ready.exec(text());
      if (!m) return false;
      done();
      resolve(m);
      return true;
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no ${ready} in the output within ${timeoutMs} ms:\n${p.out()}`));
    }, timeoutMs);
    const onData = () => void check();
    const done = () => {
      clearTimeout(timer);
      p.child.stdout?.off('data', onData);
      p.child.stderr?.off('data', onData);
    };
    p.child.stdout?.on('data', onData);
    p.child.stderr?.on('data', onData);
    void p.exit.then((code) => {
      if (check()) return;
      done();
      if (options.allowExit) resolve(null);
      else reject(new Error(`exited ${code} before ${ready}:\n${p.out()}`));
    });
    check();
  });
}

/** `spawnProcess`, then `waitForOutput(ready)`. */
export async function startProcess(
  entry: string,
  env: Record<string, string | undefined>,
  ready: RegExp,
  options: WaitOptions = {},
): Promise<TestProcess> {
  const p = spawnProcess(entry, env);
  await waitForOutput(p, ready, options);
  return p;
}

/** The API's "listening" log line (JSON, LOG_LEVEL=info); its first group is the URL. */
export const API_LISTENING = /"url":"(http:\/\/[^"]+)".*"msg":"API listening"/;

/** Starts `producers/server.ts` with `env` and resolves with the process and the URL it listens on. */
export async function startApiProcess(env: Record<string, string | undefined>, options: WaitOptions = {}): Promise<{ p: TestProcess; url: string }> {
  const p = spawnProcess('producers/server.ts', env);
  const m = await waitForOutput(p, API_LISTENING, options);
  return { p, url: m![1]! };
}

/**
 * A worker process with the test workflows on every queue (test/support/worker-process.ts, the
 * environment of the test services in `env`); resolves once it printed "ready".
 */
export async function startWorkerProcess(env: Record<string, string>, options: WaitOptions = {}): Promise<TestProcess> {
  return startProcess('test/support/worker-process.ts', { ...process.env, ...env }, /ready/, { timeoutMs: 60_000, ...options });
}

/** Sends SIGTERM to the process's group, waits up to `graceMs` for it to exit, then SIGKILLs the group. */
export async function stopProcess(p: TestProcess, graceMs = 15_000): Promise<void> {
  const running = () => p.child.exitCode === null && p.child.signalCode === null;
  if (!running() || p.child.pid === undefined) return;
  process.kill(-p.child.pid, 'SIGTERM');
  await Promise.race([p.exit, new Promise((ok) => setTimeout(ok, graceMs))]);
  if (running()) process.kill(-p.child.pid, 'SIGKILL');
}

/** SIGKILLs every spawned process still running, with its process group (an afterAll of each file that spawns). */
export function killProcesses(): void {
  for (const c of spawned) {
    if (c.exitCode !== null || c.signalCode !== null || c.pid === undefined) continue;
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      c.kill('SIGKILL');
    }
  }
}
