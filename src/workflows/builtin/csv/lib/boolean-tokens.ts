/**
 * Boolean spellings: true/false, yes/no, t/f, y/n and 1/0, in lower, UPPER or Capitalised case.
 * A column whose values are only `0`/`1` is an integer column, not a boolean one (loading it as an
 * integer loses nothing); `0`/`1` count as booleans only next to other boolean spellings.
 */
const TOKENS: [string, boolean][] = [
  ['true', true],
  ['false', false],
  ['yes', true],
  ['no', false],
  ['t', true],
  ['f', false],
  ['y', true],
  ['n', false],
];

const MAP = new Map<string, boolean>();
for (const [word, value] of TOKENS) {
  MAP.set(word, value);
  MAP.set(word.toUpperCase(), value);
  MAP.set(word.charAt(0).toUpperCase() + word.slice(1), value);
}

/** Value of a word boolean (`true`, `No`, `Y`…), or undefined. Does not accept `0`/`1`. */
export function wordBoolean(s: string): boolean | undefined {
  return s.length <= 5 ? MAP.get(s) : undefined;
}

/** Value of any boolean spelling including `0`/`1`, or undefined. */
export function parseBoolean(s: string): boolean | undefined {
  if (s === '1') return true;
  if (s === '0') return false;
  return wordBoolean(s);
}
