import type { ToolSpec } from './llm.js';
import { rankScores, scoreTools, type ToolScore } from './offline-score.js';

/** An example phrase covering at least this share of the message makes it one request (a chain's own words). */
export const WHOLE_PHRASE_COVER = 0.75;

/**
 * Once one clause of a message names a tool at the full threshold, the other clauses need only this
 * share of it: "parse it and convert it" is two requests even though "convert it" alone is short.
 */
export const SECONDARY_CLAUSE_SHARE = 0.75;

/** Where a message splits into separate requests: commas, semicolons, sentence ends, "and", "then", "also"… */
const CLAUSE_BREAK =
  /\s*(?:[;]|,(?!\d)|\.(?:\s+|$)|\s(?:and then|and also|and after that|after that|afterwards|as well as|and|then|also|plus)\s)\s*/gi;

/** A clause of the message and where it starts. */
export interface Clause {
  text: string;
  start: number;
}

/** Connectors left at the start of a clause (", then chart it"). */
const LEADING_CONNECTOR = /^(?:(?:and|then|also|plus|too|after that|afterwards)\b[\s,]*)+/i;

/** The message cut at clause breaks (connectors and empty pieces dropped), in order. */
export function splitClauses(message: string): Clause[] {
  const out: Clause[] = [];
  const push = (piece: string, start: number) => {
    const text = piece.trim().replace(LEADING_CONNECTOR, '').trim();
    if (text) out.push({ text, start });
  };
  let last = 0;
  for (const m of message.matchAll(CLAUSE_BREAK)) {
    push(message.slice(last, m.index), last);
    last = m.index + m[0].length;
  }
  push(message.slice(last), last);
  return out;
}

/** A clause's best tool: a workflow rather than a chain that scores the same (one clause is one step). */
function clauseTop(ranked: ToolScore[], chains: ReadonlySet<string>): ToolScore | undefined {
  const top = ranked[0];
  if (!top || !chains.has(top.name)) return top;
  return ranked.find((r) => !chains.has(r.name) && Math.abs(r.score - top.score) <= 1e-9) ?? top;
}

/**
 * Every tool the message asks for, in the order the user wrote them. A message that one example
 * phrase covers (a registered chain's or a workflow's own words) is one request; otherwise each
 * clause that scores at least `minScore` on its own (or `SECONDARY_CLAUSE_SHARE` of it once another
 * clause did) names a tool, the same tool twice counting once, a workflow winning a tie with a chain.
 * With fewer than two distinct tools from clauses, the whole message's best tool (if any).
 */
export function rankIntents(message: string, tools: readonly ToolSpec[], preferred: readonly string[], minScore: number): ToolScore[] {
  const ranked = rankScores(scoreTools(message, tools), preferred);
  const best = ranked[0] && ranked[0].score >= minScore ? ranked[0] : undefined;
  if (best && best.phraseCover >= WHOLE_PHRASE_COVER) return [best];
  const clauses = splitClauses(message);
  if (clauses.length < 2) return best ? [best] : [];
  const chains = new Set(tools.filter((t) => t.kind === 'chain').map((t) => t.name));
  const tops = clauses.map((c) => clauseTop(rankScores(scoreTools(c.text, tools), preferred), chains));
  const strong = tops.some((t) => t !== undefined && t.score >= minScore);
  const picked: ToolScore[] = [];
  for (const top of tops) {
    if (!top || top.score < (strong ? minScore * SECONDARY_CLAUSE_SHARE : minScore)) continue;
    if (!picked.some((p) => p.name === top.name)) picked.push(top);
  }
  if (picked.length >= 2) return picked;
  return best ? [best] : [];
}
