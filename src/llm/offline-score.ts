import type { ToolSpec } from './llm.js';
import { bigrams, contentTokens, normalisePhrase, splitIdentifier, stem, STOPWORDS } from './text.js';

/** Weight of a query term found in the tool's name (its words split on `.`, `_`, `-`, camelCase). */
export const NAME_WEIGHT = 3;
/** Weight of a query term found in one of the tool's examples. */
export const EXAMPLE_WEIGHT = 1.5;
/** Weight of a query term found in the tool's description. */
export const DESCRIPTION_WEIGHT = 1;
/** Bonus per query bigram that also occurs in an example. */
export const BIGRAM_BONUS = 1;
/** Bonus when a whole example (normalised) occurs in the message, or the message in an example. */
export const PHRASE_BONUS = 4;
/** Below this raw score the router answers "no tool". */
export const MIN_SCORE = 2;

interface ToolDoc {
  tool: ToolSpec;
  nameTerms: Set<string>;
  exampleTerms: Set<string>;
  descriptionTerms: Set<string>;
  exampleBigrams: Set<string>;
  examplePhrases: string[];
}

/** One tool's score for one message, with the evidence behind it. */
export interface ToolScore {
  name: string;
  score: number;
  /** Query terms that matched the tool's name. */
  nameHits: string[];
  /** Every matched query term. */
  matched: string[];
  phraseHit: boolean;
  /** 0..1: how much of the message the best matching example phrase covers (1 = all of it). */
  phraseCover: number;
}

function toDoc(tool: ToolSpec): ToolDoc {
  const nameTerms = new Set(splitIdentifier(tool.name).filter((w) => !STOPWORDS.has(w)).map(stem));
  const exampleTerms = new Set<string>();
  const exampleBigrams = new Set<string>();
  for (const ex of tool.examples) {
    const toks = contentTokens(ex);
    for (const t of toks) exampleTerms.add(t);
    for (const b of bigrams(toks)) exampleBigrams.add(b);
  }
  return {
    tool,
    nameTerms,
    exampleTerms,
    descriptionTerms: new Set(contentTokens(tool.description)),
    exampleBigrams,
    examplePhrases: tool.examples.map(normalisePhrase).filter((p) => p.length >= 8),
  };
}

/** UPPER_SNAKE identifiers (`SAMPLE_CMD_JOB_1`, `SALES.LOAD-2`): names of jobs or columns, not request words. */
const NAME = /\b[A-Z][A-Z0-9]*(?:[_.#@-][A-Z0-9]+)+\b/g;
/**
 * A snake_case identifier (`sales_validate`, `order_date`): a job or column name, never request
 * words; not the part after the dot of a tool name (`jil.to_airflow`).
 */
const SNAKE_NAME = /(?<![.\w])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?!\.)/g;

/**
 * The message with the names in it blanked, so "what runs after LOAD_CMD_JOB" does not read "cmd
 * job" and "what does sales_validate do" does not ask for validation.
 */
export function withoutNames(message: string): string {
  return message.replace(NAME, ' ').replace(SNAKE_NAME, ' ');
}

/**
 * Scores every tool against the message (its names left out, see `withoutNames`), BM25-style: each distinct query term contributes its IDF
 * (over the tool set) times the weight of the strongest field it appears in (name > examples >
 * description); shared bigrams with an example and whole-example phrases add bonuses. Deterministic.
 */
export function scoreTools(message: string, tools: readonly ToolSpec[]): ToolScore[] {
  const docs = tools.map(toDoc);
  const n = docs.length;
  const df = new Map<string, number>();
  for (const d of docs) {
    const all = new Set([...d.nameTerms, ...d.exampleTerms, ...d.descriptionTerms]);
    for (const t of all) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const idf = (t: string) => {
    const f = df.get(t) ?? 0;
    return Math.log(1 + (n - f + 0.5) / (f + 0.5));
  };
  const queryTokens = contentTokens(withoutNames(message));
  const queryTerms = [...new Set(queryTokens)];
  const queryBigrams = new Set(bigrams(queryTokens));
  const phrase = normalisePhrase(message);

  return docs.map((d) => {
    let score = 0;
    const matched: string[] = [];
    const nameHits: string[] = [];
    for (const t of queryTerms) {
      let w = 0;
      if (d.nameTerms.has(t)) {
        w = NAME_WEIGHT;
        nameHits.push(t);
      } else if (d.exampleTerms.has(t)) w = EXAMPLE_WEIGHT;
      else if (d.descriptionTerms.has(t)) w = DESCRIPTION_WEIGHT;
      if (w > 0) {
        // A term every tool shares still counts a little (idf floor), so one-tool sets work.
        score += w * Math.max(idf(t), 0.2);
        matched.push(t);
      }
    }
    for (const b of queryBigrams) if (d.exampleBigrams.has(b)) score += BIGRAM_BONUS;
    // An example found in the message counts in proportion to how much of the message it covers, so
    // "profile this csv" does not outweigh a tool that covers "… and give me DDL and a quality report".
    let phraseCover = 0;
    for (const p of d.examplePhrases) {
      if (phrase.length === 0) break;
      if (phrase.includes(p)) phraseCover = Math.max(phraseCover, p.length / phrase.length);
      // The message inside an example counts when it is at least half of it: "convert it to airflow"
      // is a short request of its own, not the chain example "parse …, analyze it and convert it to Airflow".
      else if (phrase.length >= 8 && p.includes(phrase) && phrase.length * 2 >= p.length) phraseCover = Math.max(phraseCover, phrase.length / p.length);
    }
    const phraseHit = phraseCover > 0;
    if (phraseHit) score += PHRASE_BONUS * Math.min(1, phraseCover);
    return { name: d.tool.name, score, nameHits, matched, phraseHit, phraseCover: Math.min(1, phraseCover) };
  });
}

/**
 * Sorts scores best first; ties (within 1e-9) go to the tool listed earlier in `preferred`, then
 * to the alphabetically smaller name.
 */
export function rankScores(scores: readonly ToolScore[], preferred: readonly string[]): ToolScore[] {
  const rank = (name: string) => {
    const i = preferred.indexOf(name);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...scores].sort((a, b) => {
    if (Math.abs(a.score - b.score) > 1e-9) return b.score - a.score;
    const r = rank(a.name) - rank(b.name);
    if (r !== 0) return r;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** Maps a raw score to 0..1 (saturating: MIN_SCORE → 0.5, 2 × MIN_SCORE → 0.75, 3 × MIN_SCORE → 0.875). */
export function toConfidence(score: number): number {
  if (score <= 0) return 0;
  const c = 1 - Math.exp((-score * Math.LN2) / MIN_SCORE);
  return Math.round(Math.min(1, Math.max(0, c)) * 1000) / 1000;
}
