import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DataOpsClient, type Artifact, type Session } from '../../client/http/client.js';
import { AuthError } from '../../errors/index.js';
import { ask } from './ask.js';
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

/** Accumulates a repeatable option (`-a x -a y`). */
const collect = (value: string, previous: string[]) => [...previous, value];

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

/** Builds the `dataops` program; every action resolves or throws (the caller turns errors into exit codes). */
export function buildProgram(io: CliIo): Command {
  const program = new Command('dataops');
  const client = (): DataOpsClient => {
    const g = program.opts<Globals>();
    const token = g.token ?? io.envToken;
    if (!token) throw new AuthError('no token: pass --token or set DATAOPS_TOKEN');
    let url = g.url ?? io.envUrl ?? DEFAULT_URL;
    try {
      url = new URL(url).toString();
    } catch {
      throw new CommanderError(EXIT.usage, 'dataops.badUrl', `not a URL: ${url}`);
    }
    return new DataOpsClient({ baseUrl: url, token });
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
    .argument('<message...>', 'what you want, in plain words (quote it, or give it as several words)')
    .option('-s, --session <id>', 'session to continue (default: a new one; its id is printed)')
    .option('-a, --attach <file>', 'a file to upload and attach (streamed); repeat for several', collect, [])
    .option('--json', 'print one JSON object instead of text')
    .option('--timeout <seconds>', 'how long to wait for the reply', positiveInt, 600)
    .action(async (words: string[], o: { session?: string; attach: string[]; json?: boolean; timeout: number }) => {
      await ask(client(), words.join(' '), o, io);
    });

  program
    .command('sessions')
    .description('list your sessions')
    .option('--all', 'include inactive sessions')
    .option('--json', 'print JSON')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      const c = client();
      const items: Session[] = [];
      let cursor: string | null = null;
      do {
        const page = await c.listSessions({ limit: 100, ...(o.all ? { active: 'false' as const } : {}), ...(cursor ? { cursor } : {}) });
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
      const items: Artifact[] = await client().allArtifacts(sessionId);
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
      const { body, sizeBytes } = await client().downloadArtifact(artifactId);
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
      io.stderr.write(`saved ${sizeBytes ?? '?'} bytes to ${o.output}\n`);
    });

  program
    .command('checkpoint')
    .description("save a named checkpoint of a session's context")
    .argument('<sessionId>')
    .argument('<label>')
    .option('--overwrite', 'replace an existing checkpoint with this label')
    .action(async (sessionId: string, label: string, o: { overwrite?: boolean }) => {
      const cp = await client().createCheckpoint(sessionId, { label, ...(o.overwrite ? { overwrite: true } : {}) });
      out(`checkpoint ${cp.label} saved (${cp.snapshotId})\n`);
    });

  program
    .command('restore')
    .description("restore a session's context to a checkpoint")
    .argument('<sessionId>')
    .argument('<label>')
    .action(async (sessionId: string, label: string) => {
      await client().restoreCheckpoint(sessionId, label);
      out(`restored ${sessionId} to ${label}\n`);
    });

  program
    .command('workflows')
    .description('list what the assistant can run')
    .option('--json', 'print JSON (with parameter schemas)')
    .action(async (o: { json?: boolean }) => {
      const r = await client().listWorkflows();
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
