import type { Capability } from '../../workflows/registry.js';
import type { CommandEnv } from './cli.js';
import { oneLine } from './literals.js';
import { findRepoRoot } from './repo-root.js';

/** `list [--json] [--dir]`: every registered workflow and chain, from the checkout's real registry. */
export async function listCommand(env: CommandEnv, opts: { json?: boolean; dir?: string }): Promise<number> {
  const registry = await env.loadRegistry(findRepoRoot(env.io.cwd, opts.dir));
  const caps = sortCapabilities(registry.capabilities());
  env.io.stdout(opts.json ? `${JSON.stringify(caps, null, 2)}\n` : formatList(caps));
  return 0;
}

/** Capabilities in name order (code-unit order, so the same on every machine). */
export function sortCapabilities(caps: readonly Capability[]): Capability[] {
  return [...caps].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A plain-text table: NAME, KIND, DESCRIPTION (one line each), then a count. */
export function formatList(caps: readonly Capability[]): string {
  if (caps.length === 0) return 'No workflows or chains are registered. Add one with: dataops-workflow new <name>\n';
  const rows = caps.map((c) => [c.name, c.kind, oneLine(c.description)] as const);
  const w0 = Math.max(4, ...rows.map((r) => r[0].length));
  const w1 = Math.max(4, ...rows.map((r) => r[1].length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd();
  const workflows = caps.filter((c) => c.kind === 'workflow').length;
  return [
    line('NAME', 'KIND', 'DESCRIPTION'),
    ...rows.map((r) => line(...r)),
    '',
    `${workflows} workflow${workflows === 1 ? '' : 's'}, ${caps.length - workflows} chain${caps.length - workflows === 1 ? '' : 's'}`,
    '',
  ].join('\n');
}
