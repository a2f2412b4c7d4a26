import type { ArtifactHint } from '../llm/llm.js';
import type { Message } from '../sessions/message.js';
import { plural } from '../workflows/builtin/plural.js';

/** Most messages read for a history answer (the newest ones). */
export const HISTORY_MESSAGES = 200;
/** Most runs and uploads listed in it (the newest ones). */
const MAX_LISTED = 20;

/** How a request is quoted in the history: one line, at most 80 characters. */
function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > 80 ? `${line.slice(0, 79)}…` : line}"`;
}

function runsOf(meta: Record<string, unknown>, workflow: string | null): string[] {
  const listed = Array.isArray(meta.workflows) ? meta.workflows.filter((w): w is string => typeof w === 'string') : [];
  return listed.length ? listed : workflow ? [workflow] : [];
}

/**
 * The answer to "what have you done so far": every run of the session's recent messages (what was
 * asked, what ran, how it ended, how many artifacts it made), oldest first, then the files uploaded.
 * `messages` in session order; `uploads` the files the user gave the session, newest first.
 */
export function historyReply(messages: readonly Message[], uploads: readonly ArtifactHint[]): string {
  const lines: string[] = [];
  let asked: Message | undefined;
  for (const m of messages) {
    if (m.role === 'user') {
      asked = m;
      continue;
    }
    if (m.role !== 'assistant') continue;
    const outcome = m.metadata.outcome;
    const ran = runsOf(m.metadata, m.workflow);
    if ((outcome !== 'succeeded' && outcome !== 'failed') || ran.length === 0) continue;
    const made = m.artifacts.length ? `, ${plural(m.artifacts.length, 'artifact')}` : '';
    lines.push(`- ${asked ? `${quote(asked.content)} → ` : ''}${ran.map((w) => `**${w}**`).join(', ')}: ${outcome}${made}`);
  }
  const parts: string[] = [];
  if (lines.length === 0) parts.push('Nothing has run in this session yet.');
  else {
    const shown = lines.slice(-MAX_LISTED);
    parts.push(`What this session has run so far (${lines.length > shown.length ? `the last ${shown.length} of ${lines.length}` : plural(lines.length, 'run')}, oldest first):`, ...shown);
  }
  if (uploads.length) {
    const shown = uploads.slice(0, MAX_LISTED);
    parts.push('', `Files uploaded: ${shown.map((u) => `${u.name ?? 'unnamed'} (${u.artifactId})`).join(', ')}${uploads.length > shown.length ? ` and ${uploads.length - shown.length} more` : ''}.`);
  }
  parts.push('', lines.length || uploads.length ? 'Ask a follow-up about any of it, or attach a file and say what you want.' : 'Attach a file and say what you want (ask "what can you do" for the list).');
  return parts.join('\n');
}
