import type { ArtifactHint, ToolSpec } from './llm.js';
import type { ToolNameMap } from './tool-names.js';

/** Longest context summary put into a routing prompt, in characters. */
const MAX_SUMMARY_CHARS = 8_000;

/** System prompt for routing: the rules, the capabilities, the conversation context. */
export function routeSystemPrompt(
  tools: readonly ToolSpec[],
  names: ToolNameMap,
  contextSummary: string,
  pendingWorkflow: string | undefined,
  pendingParams: readonly string[] = [],
): string {
  const lines = [
    'You route requests for a data-engineering assistant to its tools.',
    'Call the tool that fits the request, with only the parameters the user stated or clearly implied. When one message asks for several things, call one tool per thing, in the order the user wrote them (shared steps are run once for you).',
    'Artifact ids look like art_…; give the attached (or most recent) artifact for an artifact parameter even when the tool wants a derived one (a raw CSV for a profile, a raw JIL for a parsed JIL): the missing steps are added for you. Never invent values; leave out what you do not know.',
    'If no tool fits, reply with one short sentence and call no tool.',
  ];
  if (pendingWorkflow && tools.some((t) => t.name === pendingWorkflow)) {
    lines.push(
      `A question about missing parameters of ${names.api(pendingWorkflow)} is pending${pendingParams.length ? ` (it asked for: ${pendingParams.join(', ')})` : ''}: if the message answers it, call ${names.api(pendingWorkflow)} with the answered parameters.`,
    );
  }
  lines.push('', 'Capabilities:');
  for (const t of tools) lines.push(`- ${names.api(t.name)}: ${t.description}`);
  const summary = contextSummary.trim();
  if (summary) lines.push('', 'Conversation context:', summary.slice(0, MAX_SUMMARY_CHARS));
  return lines.join('\n');
}

/** The user turn: the message and the artifacts attached to it (or held by the session). */
export function routeUserContent(message: string, artifacts: readonly ArtifactHint[]): string {
  if (artifacts.length === 0) return message;
  const list = artifacts.map((a) => {
    const about = [a.name, a.kind ? `kind ${a.kind}` : a.contentType, a.workflowName ? `from ${a.workflowName}` : undefined].filter(Boolean);
    return `- ${a.artifactId}${about.length ? ` (${about.join(', ')})` : ''}`;
  });
  return `${message}\n\nAttached artifacts:\n${list.join('\n')}`;
}

/** A tool's description for the API: its description plus its example requests. */
export function toolDescription(tool: ToolSpec): string {
  if (tool.examples.length === 0) return tool.description;
  return `${tool.description}\nExample requests: ${tool.examples.map((e) => JSON.stringify(e)).join('; ')}`;
}

/** The compression prompt (as the spec words it), asking for JSON only. */
export function compressPrompt(contextJson: string, maxTokens: number): string {
  return `Compress this context to approximately ${maxTokens} tokens while preserving the most important information.

Context to compress:
${contextJson}

Return a compressed version as JSON that keeps:
1. All artifact references (every id that starts with art_, unchanged)
2. Key parameter values (everything under "parameters" or "params", unchanged)
3. Important decisions made
4. Critical workflow states

Remove:
- Verbose descriptions
- Redundant data
- Less important metadata

Reply with the JSON object only.

Compressed context (JSON):`;
}
