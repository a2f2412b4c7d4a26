import type { Message } from './message.js';
import type { Session } from './session.js';

/** `2025-01-31T12:34:56.789Z` → `2025-01-31 12:34:56` (UTC). */
export function formatTimestamp(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

/**
 * The session as plain text for an LLM prompt: a header (id, user, message count), the recent
 * conversation one line per message, and the session context as indented JSON when it is not empty.
 */
export function formatContextSummary(session: Session, recent: readonly Message[]): string {
  const lines = [
    `Session: ${session.sessionId}`,
    `User: ${session.userId}`,
    `Messages: ${session.messageCount}`,
    '',
    'Recent Conversation:',
    '',
  ];
  for (const m of recent) lines.push(`[${formatTimestamp(m.timestamp)}] ${m.role}: ${m.content}`);
  if (Object.keys(session.globalContext).length > 0) {
    lines.push('', 'Session Context:', JSON.stringify(session.globalContext, null, 2));
  }
  return lines.join('\n');
}
