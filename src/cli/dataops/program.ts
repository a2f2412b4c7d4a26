import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { AuthError } from '../../errors/index.js';
import { ask } from './ask.js';
import { ApiClient } from './client.js';
import { EXIT, exitCodeOf, type ExitCode } from './exit-codes.js';

/** What the entry file hands in: the streams and the environment's defaults (the only env reads are in bin.ts). */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** `DATAOPS_URL`; default `http://127.0.0.1:3000`. */
  envUrl: string | undefined;
  /** `DATAOPS_TOKEN`. */
  envToken: string | undefined;
}

const DEFAULT_URL = 'http://127.0.0.1:3000';

interface Globals {
  url?: string;
  token?: string;
}

function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return `${rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

/** Builds the `dataops` program; every action resolves or throws (the caller turns errors into exit codes). */
export function buildProgram(io: CliIo): Command {
  const program = new Command('dataops');
  const client = (): ApiClient => {
    const g = program.opts<Globals>();
    const token = g.token ?? io.envToken;
    if (!token) throw new AuthError('no token: pass --token or set DATAOPS_TOKEN');
    let url = g.url ?? io.envUrl ?? DEFAULT_URL;
    try {
      url = new URL(url).toString();
    } catch {
      throw new CommanderError(EXIT.usage, 'dataops.badUrl', `not a URL: ${url}`);
    }
    return new ApiClient({ url, token });
  };
  const out = (s: string) => io.stdout.write(s);

  program
    .description('Talk to a DataOps Agent server from the terminal.')
    .option('--url <url>', `server URL (env DATAOPS_URL, default ${DEFAULT_URL})`)
    .option('--token <token>', 'API key or JWT (env DATAOPS_TOKEN)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // one line a script can show: "dataops: missing required argument 'message' (see dataops --help)"
      outputError: (s, write) => write(`dataops: ${s.replace(/^error: /, '').trim()} (see dataops --help)\n`),
    });

  program
    .command('ask')
    .description('send a message to the assistant, show progress, print the reply and artifact ids')
    .argument('<message>', 'what you want, in plain words')
    .option('-s, --session <id>', 'session to continue (default: a new one; its id is printed)')
    .option('-a, --attach <files...>', 'files to upload and attach (streamed)')
    .option('--json', 'print one JSON object instead of text')
    .option('--timeout <seconds>', 'how long to wait for the reply', positiveInt, 600)
    .action(async (message: string, o: { session?: string; attach?: string[]; json?: boolean; timeout: number }) => {
      await ask(client(), message, o, io);
    });

  program
    .command('sessions')
    .description('list your sessions')
    .option('--all', 'include inactive sessions')
    .option('--json', 'print JSON')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      const items: { sessionId: string; lastActive: string; messageCount: number; status: string }[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `?limit=100${o.all ? '&active=false' : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page: { items: typeof items; nextCursor: string | null } = await client().json('GET', `/v1/sessions${q}`);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      if (o.json) return void out(`${JSON.stringify(items)}\n`);
      out(table([['SESSION', 'LAST ACTIVE', 'MESSAGES', 'STATUS'], ...items.map((s) => [s.sessionId, s.lastActive, String(s.messageCount), s.status])]));
    });

  program
    .command('artifacts')
    .description("list a session's artifacts")
    .argument('<sessionId>')
    .option('--json', 'print JSON')
    .action(async (sessionId: string, o: { json?: boolean }) => {
      const items: { artifactId: string; name: string | null; mimeType: string; sizeBytes: number; workflowName: string; createdAt: string }[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: typeof items; nextCursor: string | null } = await client().json(
          'GET',
          `/v1/sessions/${encodeURIComponent(sessionId)}/artifacts?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      if (o.json) return void out(`${JSON.stringify(items)}\n`);
      out(
        table([
          ['ARTIFACT', 'NAME', 'TYPE', 'BYTES', 'WORKFLOW', 'CREATED'],
          ...items.map((a) => [a.artifactId, a.name ?? '-', a.mimeType, String(a.sizeBytes), a.workflowName, a.createdAt]),
        ]),
      );
    });

  program
    .command('get')
    .description("download an artifact's content (to stdout, or to a file with -o)")
    .argument('<artifactId>')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (artifactId: string, o: { output?: string }) => {
      const res = await client().download(`/v1/artifacts/${encodeURIComponent(artifactId)}/content`);
      if (!res.body) return;
      const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
      if (!o.output) {
        await pipeline(body, io.stdout, { end: false });
        return;
      }
      // write beside the target, then rename: a failed download never leaves half a file
      const partial = `${o.output}.partial-${process.pid}`;
      try {
        await pipeline(body, createWriteStream(partial));
        await rename(partial, o.output);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
      io.stderr.write(`saved ${res.headers.get('content-length') ?? '?'} bytes to ${o.output}\n`);
    });

  program
    .command('checkpoint')
    .description("save a named checkpoint of a session's context")
    .argument('<sessionId>')
    .argument('<label>')
    .option('--overwrite', 'replace an existing checkpoint with this label')
    .action(async (sessionId: string, label: string, o: { overwrite?: boolean }) => {
      const cp = await client().json<{ label: string; snapshotId: string; createdAt: string }>(
        'POST',
        `/v1/sessions/${encodeURIComponent(sessionId)}/checkpoints`,
        { label, ...(o.overwrite ? { overwrite: true } : {}) },
      );
      out(`checkpoint ${cp.label} saved (${cp.snapshotId})\n`);
    });

  program
    .command('restore')
    .description("restore a session's context to a checkpoint")
    .argument('<sessionId>')
    .argument('<label>')
    .action(async (sessionId: string, label: string) => {
      await client().json('POST', `/v1/sessions/${encodeURIComponent(sessionId)}/checkpoints/${encodeURIComponent(label)}/restore`, {});
      out(`restored ${sessionId} to ${label}\n`);
    });

  program
    .command('workflows')
    .description('list what the assistant can run')
    .option('--json', 'print JSON (with parameter schemas)')
    .action(async (o: { json?: boolean }) => {
      const r = await client().json<{ workflows: { name: string; description: string }[] }>('GET', '/v1/workflows');
      if (o.json) return void out(`${JSON.stringify(r.workflows)}\n`);
      out(table([['WORKFLOW', 'DESCRIPTION'], ...r.workflows.map((w) => [w.name, w.description])]));
    });

  return program;
}

/** Runs the CLI on `argv` (without node and the script); resolves with the exit code, never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; help shown because of a mistake (no command) and usage errors exit 2
      if (err.exitCode === 0) return EXIT.ok;
      if (err.code === 'dataops.badUrl') io.stderr.write(`dataops: ${err.message}\n`);
      return EXIT.usage;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`dataops: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return exitCodeOf(err);
  }
}
