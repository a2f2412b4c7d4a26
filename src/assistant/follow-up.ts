/**
 * Short follow-ups that name only a new subject — "and SALES_STAGE_LOAD?", "what about FIN_GL_LOAD",
 * "same for orders_2024" — ask the previous question again about that name. Pure: the caller reads
 * the previous question.
 */

import { looksLikeName } from '../text/name-token.js';

const FOLLOW_UP = /^\s*(?:and|also|now|then|what about|how about|and what about|and how about|same for|same with|and for)\s+(?:for\s+|about\s+|with\s+)?([A-Za-z0-9_#.@-]+?)[\s?.!]*$/i;

/** The name a follow-up asks about ("and SALES_STAGE_LOAD?" → SALES_STAGE_LOAD), or null for any other message. */
export function followUpName(message: string): string | null {
  if (message.length > 200) return null;
  const m = FOLLOW_UP.exec(message);
  return m && looksLikeName(m[1]!) ? m[1]! : null;
}

/**
 * The previous question asked again about `name`: its first name-like token replaced ("what does
 * SALES_VALIDATE do?" + SALES_STAGE_LOAD → "what does SALES_STAGE_LOAD do?"). Null when the
 * previous question names nothing (then the follow-up is routed as it stands).
 */
export function askAgainAbout(previous: string, name: string): string | null {
  for (const m of previous.matchAll(/[A-Za-z0-9_#.@-]+/g)) {
    const token = m[0].replace(/[.]+$/, '');
    if (!looksLikeName(token) || token === name) continue;
    return previous.slice(0, m.index) + name + previous.slice(m.index + token.length);
  }
  return null;
}
