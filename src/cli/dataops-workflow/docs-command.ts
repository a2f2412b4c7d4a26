import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { CommandEnv } from './cli.js';
import { DEFAULT_DOCS_FILE, renderWorkflowsDoc } from './render-docs.js';
import { findRepoRoot } from './repo-root.js';

/**
 * `docs [--out <file>] [--check] [--dir]`: writes the Markdown page of every workflow (default
 * `docs/workflows.md` in the repo root; a given `--out` is relative to the current directory).
 * With `--check`, writes nothing and returns 1 when the file is missing or stale.
 */
export async function docsCommand(env: CommandEnv, opts: { out?: string; check?: boolean; dir?: string }): Promise<number> {
  const root = findRepoRoot(env.io.cwd, opts.dir);
  const registry = await env.loadRegistry(root);
  const text = renderWorkflowsDoc(registry);
  const file = opts.out !== undefined ? resolve(env.io.cwd, opts.out) : join(root, DEFAULT_DOCS_FILE);
  const rel = relative(env.io.cwd, file);
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
  if (opts.check) {
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current === text) {
      env.io.stdout(`${shown} is up to date\n`);
      return 0;
    }
    env.io.stderr(`${shown} is ${current === undefined ? 'missing' : 'out of date'}; run: dataops-workflow docs${opts.out ? ` --out ${opts.out}` : ''}\n`);
    return 1;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text, 'utf8');
  const w = registry.list().length;
  const c = registry.listChains().length;
  env.io.stdout(`wrote ${shown} (${w} workflow${w === 1 ? '' : 's'}, ${c} chain${c === 1 ? '' : 's'})\n`);
  return 0;
}
