import { Command, CommanderError, Option } from 'commander';
import { ValidationError } from '../../errors/validation-error.js';
import { docsCommand } from './docs-command.js';
import { listCommand } from './list-command.js';
import { loadRegistry, type RegistryLoader } from './load-registry.js';
import { DEFAULT_AREA, MAX_NAME_LENGTH } from './names.js';
import { newCommand } from './new-command.js';
import { validateCommand } from './validate-command.js';

/** Exit codes: 0 success, 1 a conflict or failed check, 2 a usage error (bad name, option or argument). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where the CLI writes and what it runs in; the bin passes the real process's. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory the command runs in (the repo root is found from here unless --dir is given). */
  cwd: string;
}

export interface CliDeps {
  /** Default: import the checkout's own registry (`registerBuiltins(new WorkflowRegistry())`). */
  loadRegistry?: RegistryLoader;
}

/** What each command's action gets. */
export interface CommandEnv {
  io: CliIo;
  loadRegistry: RegistryLoader;
}

const NAME_RULES = `
Names:
  "action"        becomes ${DEFAULT_AREA}.action   (e.g. demo_thing -> ${DEFAULT_AREA}.demo_thing)
  "area.action"   is used as is          (e.g. demo.thing)
  Each part: lowercase letters and digits, words joined by single underscores, starting with a
  letter; one dot at most; ${MAX_NAME_LENGTH} characters at most. Reserved: the areas "test" and
  "engine", the action "index".

Writes (paths from the repo root):
  src/workflows/custom/<area>/<action>.ts     the workflow (defineWorkflow, one node in withArtifacts)
  test/unit/workflows/<name>.test.ts          its unit test (passes as generated)
  docs/workflows/<name>.md                    its docs page
  src/workflows/custom/index.ts               registers it (sorted; maintained by this command)

Exit codes: 0 created; 1 a file or name already exists (nothing written); 2 bad name or option.`;

/** Builds the commander program; actions store their exit code in `result.code`. */
export function buildProgram(env: CommandEnv, result: { code: number }): Command {
  const program = new Command('dataops-workflow')
    .description('Scaffold, list, document and check DataOps Agent workflows.')
    .exitOverride()
    .configureOutput({ writeOut: env.io.stdout, writeErr: env.io.stderr })
    .showHelpAfterError('(run with --help for usage)')
    .allowExcessArguments(false);
  const dirOption = () => new Option('--dir <path>', 'repo root (default: the nearest checkout at or above the current directory)');

  program
    .command('new')
    .description('create a workflow, its test and docs page from templates, and register it')
    .argument('<name>', 'workflow name: action or area.action')
    .option('--description <text>', 'what the workflow does, one or two sentences (default: what the template does)')
    .option('--queue <name>', 'the queue its nodes run on, so it gets workers of its own (e.g. csv, jil; default: nodes)')
    .addOption(dirOption())
    .addHelpText('after', NAME_RULES)
    .action(async (name: string, opts: { description?: string; queue?: string; dir?: string }) => {
      result.code = await newCommand(env, name, opts);
    });

  program
    .command('list')
    .description('list every registered workflow and chain (name, kind, description)')
    .option('--json', 'print JSON (name, kind, description, examples, inputSchema, nodes of each)')
    .addOption(dirOption())
    .action(async (opts: { json?: boolean; dir?: string }) => {
      result.code = await listCommand(env, opts);
    });

  program
    .command('docs')
    .description('regenerate the Markdown page of every workflow and chain (capabilities, parameters, nodes)')
    .option('--out <file>', 'file to write (default: docs/workflows.md in the repo root)')
    .option('--check', 'write nothing; exit 1 if the file is missing or differs from what would be written')
    .addOption(dirOption())
    .action(async (opts: { out?: string; check?: boolean; dir?: string }) => {
      result.code = await docsCommand(env, opts);
    });

  program
    .command('validate')
    .description('check every registered workflow and chain; exit 1 with the list of problems')
    .option('--json', 'print the report as JSON')
    .addOption(dirOption())
    .action(async (opts: { json?: boolean; dir?: string }) => {
      result.code = await validateCommand(env, opts);
    });

  return program;
}

/** Runs the CLI on `argv` (the user's arguments, without node and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const result = { code: EXIT.ok as number };
  const program = buildProgram({ io, loadRegistry: deps.loadRegistry ?? loadRegistry }, result);
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.stderr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return exitCodeFor(e);
  }
}

/** A ValidationError is a usage error (2); a ConflictError or any other failure is 1. */
export function exitCodeFor(error: unknown): number {
  return error instanceof ValidationError ? EXIT.usage : EXIT.failed;
}
