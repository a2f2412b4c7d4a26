/**
 * Small, deterministic text helpers for the offline router: tokenising, light stemming and
 * stopwords. No dependencies, no locale sensitivity (everything is lowercased with toLowerCase()).
 */

/** Words that carry no routing signal. Kept short on purpose: domain words must stay. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could do does did for from have has had he her him his how i if in ' +
    'into is it its me my mine of on or our ours please pls she so some than that the their them then there these ' +
    'they this those to too us was we were what when where which while who whom why will with would you your yours ' +
    'just also want wanted need needs like let lets go get got make made give want would should shall may might ' +
    'hi hello hey thanks thank ok okay sure now here using use via new one ones any all each every it\'s im i\'m ' +
    'able help kindly something thing things'
  ).split(/\s+/),
);

/** Ordered suffix rules: [suffix, replacement]. The first that applies (leaving ≥ 3 chars) wins. */
const SUFFIXES: readonly (readonly [string, string])[] = [
  ['ational', 'ate'],
  ['ization', 'ize'],
  ['ations', 'ate'],
  ['ation', 'ate'],
  ['ings', ''],
  ['ing', ''],
  ['ers', ''],
  ['er', ''],
  ['ies', 'y'],
  ['sses', 'ss'],
  ['es', ''],
  ['ed', ''],
  ['ly', ''],
  ['s', ''],
];

/**
 * Light stemmer: strips one common English suffix and a trailing `e`, so `parse`, `parser`,
 * `parsing` and `parsed` all become `pars`. Words of ≤ 3 characters, and words with digits, are
 * returned unchanged.
 */
export function stem(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 3 || /\d/.test(w)) return w;
  let out = w;
  for (const [suffix, replacement] of SUFFIXES) {
    if (!out.endsWith(suffix)) continue;
    if (suffix === 's' && out.endsWith('ss')) break;
    const base = out.slice(0, out.length - suffix.length) + replacement;
    if (base.length >= 3) {
      out = base;
      break;
    }
  }
  if (out.length > 3 && out.endsWith('e')) out = out.slice(0, -1);
  return out;
}

/** Splits an identifier such as `jil.to_airflow`, `sourceDialect` or `csv-profile` into lowercase words. */
export function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

/** Lowercase word tokens of free text (letters, digits, apostrophes inside words). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? []).map((w) => w.replace(/'s$/, ''));
}

/** Content tokens: lowercase, stopwords removed, stemmed. */
export function contentTokens(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w))
    .map(stem);
}

/** Consecutive token pairs, joined with a space. */
export function bigrams(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

/** Lowercase, punctuation to spaces, whitespace collapsed: for phrase containment checks. */
export function normalisePhrase(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
