import { runCli } from './cli.js';

// The only place that touches the process: arguments, working directory, output streams, exit code.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
});
