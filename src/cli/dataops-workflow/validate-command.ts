import type { CommandEnv } from './cli.js';
import { findRepoRoot } from './repo-root.js';
import { validateRegistry, type RegistryReport } from './validate-registry.js';

/**
 * `validate [--json] [--dir]`: builds the checkout's registry and checks every workflow and chain.
 * Returns 0 when there are no problems, 1 otherwise (a registry that does not build is a problem too).
 */
export async function validateCommand(env: CommandEnv, opts: { json?: boolean; dir?: string }): Promise<number> {
  const root = findRepoRoot(env.io.cwd, opts.dir);
  let report: RegistryReport;
  try {
    report = validateRegistry(await env.loadRegistry(root));
  } catch (e) {
    report = { workflows: 0, chains: 0, problems: [`the registry does not build: ${e instanceof Error ? e.message : String(e)}`], warnings: [] };
  }
  env.io.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.problems.length === 0 ? 0 : 1;
}

/** The report as text: a verdict line, then problems and warnings, one per line. */
export function formatReport(r: RegistryReport): string {
  const what = `${r.workflows} workflow${r.workflows === 1 ? '' : 's'} and ${r.chains} chain${r.chains === 1 ? '' : 's'}`;
  const lines =
    r.problems.length === 0
      ? [`ok: ${what} valid`]
      : [`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${what}:`, ...r.problems.map((p) => `  - ${p}`)];
  if (r.warnings.length > 0) lines.push(`warnings:`, ...r.warnings.map((w) => `  - ${w}`));
  return `${lines.join('\n')}\n`;
}
