// The `dataops` process entry: the only place the CLI reads the environment.
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  envUrl: process.env.DATAOPS_URL,
  envToken: process.env.DATAOPS_TOKEN,
});
process.exitCode = code;
