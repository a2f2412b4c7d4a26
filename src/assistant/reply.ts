import type { z } from 'zod';
import type { Capability, WorkflowRegistry } from '../workflows/registry.js';
import type { RunResult } from '../runtime/job-data.js';

/** The answer when no capability fits: say so, and list what the assistant can do. */
export function unknownRequestReply(capabilities: Capability[]): string {
  const lines = capabilities.map((c) => `- **${c.name}**: ${c.description}${c.examples[0] ? ` (e.g. "${c.examples[0]}")` : ''}`);
  return `I don't know how to do that yet. Here is what I can do:\n${lines.join('\n')}`;
}

/** The question for every missing parameter at once. */
export function missingParamsReply(tool: string, missing: { name: string; ask: string }[], problems: string[]): string {
  const parts = [`To run **${tool}** I need ${missing.length === 1 ? 'one more thing' : 'a few more things'}:`];
  for (const m of missing) parts.push(`- ${m.name}: ${m.ask}`);
  if (problems.length) parts.push('', 'Also:', ...problems.map((p) => `- ${p}`));
  parts.push('', 'Answer in your next message (attach files if I asked for them).');
  return parts.join('\n');
}

/** A finished run in a few lines: each workflow's own summary, then the artifacts. */
export function runReply(tool: string, result: RunResult, registry: WorkflowRegistry, instances: Record<string, string>): string {
  const parts: string[] = [`Done: **${tool}**.`];
  for (const [instance, workflowName] of Object.entries(instances)) {
    const out = result.outputs[instance];
    if (!out) continue;
    const wf = registry.has(workflowName) ? registry.get(workflowName) : undefined;
    const text = wf?.summarize ? safe(() => wf.summarize!(out as z.infer<typeof wf.output>)) : defaultSummary(out);
    parts.push(`- ${workflowName}: ${text}`);
  }
  for (const f of result.failed) parts.push(`- ${f.step} failed (ignored): ${f.error}`);
  if (result.skipped.length) parts.push(`- skipped: ${result.skipped.join(', ')}`);
  if (result.allArtifacts.length) parts.push('', `Artifacts: ${result.allArtifacts.join(', ')}`);
  return parts.join('\n');
}

export function failedRunReply(tool: string, error: string): string {
  return `**${tool}** failed: ${error}`;
}

function defaultSummary(out: Record<string, unknown>): string {
  const fields = Object.entries(out)
    .filter(([k]) => k !== 'artifacts')
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v).slice(0, 80) : String(v)}`);
  return fields.join(', ') || 'finished';
}

function safe(fn: () => string): string {
  try {
    return fn();
  } catch {
    return 'finished';
  }
}
