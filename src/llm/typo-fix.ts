import { surfacesFor } from './enum-synonyms.js';
import type { ToolSpec } from './llm.js';
import { readProps } from './schema-props.js';
import { splitIdentifier, stem, STOPWORDS } from './text.js';
import { editDistance } from '../text/edit-distance.js';

/** Words shorter than this are never corrected (too many real words lie one edit apart). */
export const MIN_TYPO_LENGTH = 5;

/** Edits allowed for a word of `length` letters: 1 from 5 letters, 2 from 9. */
export function allowedEdits(length: number): number {
  return length < MIN_TYPO_LENGTH ? 0 : length < 9 ? 1 : 2;
}

export { editDistance } from '../text/edit-distance.js';

/**
 * The words the offline router knows: tool names, examples and descriptions, parameter names, enum
 * values and their synonyms (lowercase, letters only, at least MIN_TYPO_LENGTH long for targets).
 */
export class TypoVocabulary {
  /** Every known word (any length), to tell a typo from a known word. */
  private readonly known = new Set<string>();
  private readonly knownStems = new Set<string>();
  /** Correction targets, by first letter. */
  private readonly targets = new Map<string, string[]>();
  /** Enum values and their synonyms (single words): a near miss is corrected even when its stem is known. */
  private readonly values = new Set<string>();

  constructor(tools: readonly ToolSpec[]) {
    const add = (text: string) => {
      for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        if (this.known.has(w)) continue;
        this.known.add(w);
        this.knownStems.add(stem(w));
        if (w.length >= MIN_TYPO_LENGTH - 1 && !STOPWORDS.has(w)) {
          const list = this.targets.get(w[0]!) ?? [];
          list.push(w);
          this.targets.set(w[0]!, list);
        }
      }
    };
    for (const t of tools) {
      add(splitIdentifier(t.name).join(' '));
      add(t.description);
      for (const e of t.examples) add(e);
      for (const p of readProps(t.inputSchema)) {
        add(p.words.join(' '));
        for (const v of p.enumValues ?? []) {
          for (const s of surfacesFor(v)) {
            add(splitIdentifier(s).join(' '));
            for (const w of splitIdentifier(s)) if (w.length >= MIN_TYPO_LENGTH && /^[a-z]+$/.test(w)) this.values.add(w);
          }
        }
      }
    }
    for (const list of this.targets.values()) list.sort();
  }

  /** The known word `word` is a typo of, or undefined (known already, too short, or nothing close). */
  correct(word: string): string | undefined {
    const w = word.toLowerCase();
    const max = allowedEdits(w.length);
    if (max === 0 || this.known.has(w) || STOPWORDS.has(w)) return undefined;
    // `snowflak` shares its stem with `snowflake` but is no dialect name: values must be exact.
    for (const v of this.values) if (v[0] === w[0] && editDistance(w, v, max) <= max) return v;
    if (this.knownStems.has(stem(w))) return undefined;
    let best: string | undefined;
    let bestD = max + 1;
    // Same first letter only: far fewer false corrections, and typos rarely hit the first letter.
    for (const t of this.targets.get(w[0]!) ?? []) {
      const d = editDistance(w, t, Math.min(max, bestD));
      if (d < bestD) {
        best = t;
        bestD = d;
      }
    }
    return bestD <= max ? best : undefined;
  }
}

/** What `fixTypos` changed. */
export interface TypoFix {
  text: string;
  /** `[typed, corrected]`, in order. */
  corrections: [string, string][];
}

/**
 * Replaces words that are not in the vocabulary but within a small edit distance of one of its
 * words (`snowflak` → `snowflake`, `prfile` → `profile`). Quoted text, artifact ids, paths and
 * words with digits or `_` are left alone, so a table name in quotes stays as typed.
 */
export function fixTypos(message: string, vocabulary: TypoVocabulary): TypoFix {
  const corrections: [string, string][] = [];
  const protectedSpans: [number, number][] = [];
  for (const m of message.matchAll(/"[^"\n]*"|(?<![A-Za-z])'[^'\n]*'(?![A-Za-z])|`[^`\n]*`|[^\s,;]*[_/\\:@\d][^\s,;]*|[\w-]+\.[A-Za-z0-9]+/g)) {
    protectedSpans.push([m.index, m.index + m[0].length]);
  }
  const text = message.replace(/[A-Za-z]+/g, (w, offset: number) => {
    if (protectedSpans.some(([a, b]) => offset >= a && offset < b)) return w;
    const fixed = vocabulary.correct(w);
    if (!fixed) return w;
    corrections.push([w, fixed]);
    return fixed;
  });
  return { text, corrections };
}
