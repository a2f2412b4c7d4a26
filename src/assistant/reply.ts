import { instanceLabels } from './instance-labels.js';
import type { z } from 'zod';
import type { Capability, WorkflowRegistry } from '../workflows/registry.js';
import type { RunResult } from '../runtime/job-data.js';
import type { Plan } from '../planning/plan.js';
import type { FailureReport } from './failure-cause.js';

function capabilityLines(capabilities: Capability[]): string[] {
  return capabilities.map((c) => `- **${c.name}**: ${c.description}${c.examples[0] ? ` (e.g. "${c.examples[0]}")` : ''}`);
}

/**
 * The answer to "what can you do" / "help" / "which formats do you read": what the assistant reads,
 * the capability list and how to ask.
 */
export function capabilitiesReply(capabilities: Capability[], formats: string[] = []): string {
  const parts = ['Here is what I can do:', ...capabilityLines(capabilities)];
  if (formats.length) parts.push('', `I read ${joinWords(formats)}.`);
  parts.push('', 'Attach a file to your message and say what you want; one message may ask for several things ("profile this CSV and give me Postgres DDL").');
  return parts.join('\n');
}

/** The answer when no capability fits: one honest sentence, then the list. */
export function outOfScopeReply(capabilities: Capability[]): string {
  return ["That is outside what I can do: none of my workflows fits that request. Here is what I can do:", ...capabilityLines(capabilities)].join('\n');
}

/** The question for every missing parameter at once. */
export function missingParamsReply(tool: string, missing: { name: string; ask: string }[], problems: string[]): string {
  const parts = [`To run **${tool}** I need ${missing.length === 1 ? 'one more thing' : 'a few more things'}:`];
  // a question in words names what it wants (the parameter's own name is for developers); a bare description keeps the name
  for (const m of missing) parts.push(m.ask.includes('?') ? `- ${m.ask}` : `- ${m.name}: ${m.ask}`);
  if (problems.length) parts.push('', 'Also:', ...problems.map((p) => `- ${p}`));
  parts.push('', 'Answer in your next message (attach files if I asked for them).');
  return parts.join('\n');
}

/** A request the planner could not make into a run: what is wrong, nothing ran. */
export function cannotPlanReply(tool: string, cause: string): string {
  return `I could not start **${tool}**: ${cause}\n\nNothing was run. Attach the file it needs (or name the artifact) and ask again.`;
}

/** A finished run in a few lines: what was added or reused, each workflow's own summary, then the artifacts. */
export function runReply(title: string, result: RunResult, registry: WorkflowRegistry, plan: Pick<Plan, 'instances' | 'prerequisites' | 'reused'>): string {
  const parts: string[] = [`Done: **${title}**.`];
  const added = [...new Set(plan.prerequisites.map((p) => p.workflow))];
  if (added.length) parts.push(`(I ran ${joinWords(added)} first, to make what the request needs.)`);
  const reused = [...new Set(plan.reused.map((r) => r.workflow))];
  if (reused.length) parts.push(`(Reused what ${joinWords(reused)} made earlier in this session instead of running it again.)`);
  const labels = instanceLabels(plan.instances, result.outputs);
  for (const [instance, workflowName] of Object.entries(plan.instances)) {
    const out = result.outputs[instance];
    if (!out) continue;
    const wf = registry.has(workflowName) ? registry.get(workflowName) : undefined;
    const text = wf?.summarize ? safe(() => wf.summarize!(out as z.infer<typeof wf.output>)) : defaultSummary(out);
    // a workflow run once per file: say which file each line is about
    const about = labels.get(instance);
    parts.push(`- ${workflowName}${about ? ` (${about})` : ''}: ${text}`);
  }
  for (const f of result.failed) parts.push(`- ${f.step} failed (ignored): ${f.error}`);
  if (result.skipped.length) parts.push(`- skipped: ${result.skipped.join(', ')}`);
  if (result.allArtifacts.length) parts.push('', `Artifacts: ${result.allArtifacts.join(', ')}`);
  return parts.join('\n');
}

/** A failed run: which step, why (in the user's terms) and what to do next. */
export function failedRunReply(report: FailureReport): string {
  const what = report.about ? ` (${report.about})` : '';
  const done = report.completed.length ? `\n\nThese steps finished before it: ${report.completed.join(', ')}.` : '';
  return `The step **${report.workflow}**${what} failed: ${report.cause}\n\nWhat to do: ${report.next}${done}`;
}

/** A run stopped on the user's request. */
export function cancelledReply(title: string): string {
  return `**${title}** was cancelled at your request; nothing more of it runs. Ask again to start it anew.`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
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
