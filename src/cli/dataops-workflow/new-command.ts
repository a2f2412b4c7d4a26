import type { CommandEnv } from './cli.js';
import { createWorkflow } from './new-workflow.js';
import { findRepoRoot } from './repo-root.js';

/** `new <name> [--description] [--queue] [--dir]`: scaffolds and registers a workflow; prints what it wrote. */
export async function newCommand(env: CommandEnv, name: string, opts: { description?: string; queue?: string; dir?: string }): Promise<number> {
  const root = findRepoRoot(env.io.cwd, opts.dir);
  const { naming, written, queue } = await createWorkflow({
    root,
    name,
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(opts.queue !== undefined ? { queue: opts.queue } : {}),
    loadRegistry: env.loadRegistry,
  });
  const lines = [
    `Created workflow ${naming.name} in ${root}:`,
    ...written.map((p) => `  ${p}`),
    '',
    'Next:',
    `  npx vitest run ${naming.testFile}    # the generated test passes as is`,
    `  edit ${naming.workflowFile} (parameters, compute${naming.pascal}, output) and its test`,
    ...(queue !== 'nodes' ? [`  serve its queue: node --import tsx workers/nodes.ts ${queue}    # one Procfile line per queue`] : []),
    '  dataops-workflow validate && dataops-workflow docs    # check it and refresh docs/workflows.md',
  ];
  env.io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
