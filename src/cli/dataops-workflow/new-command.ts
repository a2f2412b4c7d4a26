import type { CommandEnv } from './cli.js';
import { createWorkflow } from './new-workflow.js';
import { findRepoRoot } from './repo-root.js';

/** `new <name> [--description] [--dir]`: scaffolds and registers a workflow; prints what it wrote. */
export async function newCommand(env: CommandEnv, name: string, opts: { description?: string; dir?: string }): Promise<number> {
  const root = findRepoRoot(env.io.cwd, opts.dir);
  const { naming, written } = await createWorkflow({
    root,
    name,
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    loadRegistry: env.loadRegistry,
  });
  const lines = [
    `Created workflow ${naming.name} in ${root}:`,
    ...written.map((p) => `  ${p}`),
    '',
    'Next:',
    `  npx vitest run ${naming.testFile}    # the generated test passes as is`,
    `  edit ${naming.workflowFile} (parameters, compute${naming.pascal}, output) and its test`,
    '  dataops-workflow validate && dataops-workflow docs    # check it and refresh docs/workflows.md',
  ];
  env.io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
