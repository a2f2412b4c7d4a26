/** Tokens that read as names but are files, artifact ids, dates or times. */
const NOT_A_NAME = /\.(jil|jobs?|csv|tsv|txt|py|json|sql|md)$|^art_|^[0-9_.:/-]+$/i;

/**
 * True when a token of a message reads as a job or column name: it has `_`, `#`, `@` or a digit in
 * it, or is written in capitals (`FOO-BAR`), and is at least `minLength` long; plain words
 * (`month-end`), file names, artifact ids, dates and times are not.
 */
export function looksLikeName(token: string, minLength = 3): boolean {
  if (token.length < minLength || NOT_A_NAME.test(token)) return false;
  return /[_#@0-9]/.test(token) || (/[A-Z]/.test(token) && token === token.toUpperCase());
}
