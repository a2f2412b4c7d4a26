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

/** A clause's (or message's) best tool: a workflow rather than a chain that scores the same (one clause is one step). */
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
  const chains = new Set(tools.filter((t) => t.kind === 'chain').map((t) => t.name));
  const ranked = rankScores(scoreTools(message, tools), preferred);
  const top = clauseTop(ranked, chains);
  const best = top && top.score >= minScore ? top : undefined;
  if (best && best.phraseCover >= WHOLE_PHRASE_COVER) return [best];
  const clauses = splitClauses(message);
  if (clauses.length < 2) return best ? [best] : [];
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

/** Below the threshold, a file's kind may still decide: the best tool for it needs this share of the threshold. */
export const KIND_FALLBACK_SHARE = 0.5;
/** …and must lead the next tool for that kind by this much (a tie is a guess, not a decision). */
export const KIND_FALLBACK_MARGIN = 0.25;

/** Families of artifact kinds that say nothing about which tool is meant. */
const GENERIC_KINDS = new Set(['text', 'json', 'binary']);

/** `jil.parsed` → `jil`, `csv` → `csv`; null for generic kinds. */
export function kindFamily(kind: string | undefined): string | null {
  const family = kind?.split('.')[0];
  return family && !GENERIC_KINDS.has(family) ? family : null;
}

/** Kind families a tool takes through its artifact parameters (`x-accepts`). */
export function toolKindFamilies(tool: ToolSpec): Set<string> {
  const out = new Set<string>();
  const props = (tool.inputSchema.properties ?? {}) as Record<string, { 'x-accepts'?: unknown }>;
  for (const p of Object.values(props)) {
    for (const k of Array.isArray(p['x-accepts']) ? p['x-accepts'] : []) {
      const f = typeof k === 'string' ? kindFamily(k) : null;
      if (f) out.add(f);
    }
  }
  return out;
}

/** False only when the tool takes files, none of them of `kind`'s family (an unknown kind fits every tool). */
export function takesKind(tool: ToolSpec, kind: string | undefined): boolean {
  const family = kindFamily(kind);
  const families = toolKindFamilies(tool);
  return !family || families.size === 0 || families.has(family);
}

/**
 * A message below the threshold whose file says what it is about ("which columns are in here" with a
 * CSV): the clearly best tool that takes that kind of file (directly or after a prerequisite), if its
 * score is at least `KIND_FALLBACK_SHARE` of `minScore` and leads the next such tool by
 * `KIND_FALLBACK_MARGIN` (a chain yields to a workflow of the same score). Null otherwise.
 */
export function byFileKind(message: string, tools: readonly ToolSpec[], preferred: readonly string[], minScore: number, kind: string | undefined): ToolScore | null {
  const family = kindFamily(kind);
  if (!family) return null;
  const takes = new Set(tools.filter((t) => toolKindFamilies(t).has(family)).map((t) => t.name));
  const chains = new Set(tools.filter((t) => t.kind === 'chain').map((t) => t.name));
  const ranked = rankScores(scoreTools(message, tools), preferred).filter((s) => takes.has(s.name));
  const top = clauseTop(ranked, chains);
  if (!top || top.score < minScore * KIND_FALLBACK_SHARE) return null;
  const next = ranked.find((s) => s.name !== top.name && !(chains.has(s.name) && Math.abs(s.score - top.score) <= 1e-9));
  return next && top.score - next.score < KIND_FALLBACK_MARGIN ? null : top;
}
