/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)`. Once any class in the process
 * extends String (ioredis, loaded by every BullMQ worker, does), V8 (Node 20) makes each method call
 * `s.charCodeAt(i)` several times slower; a call through a module constant keeps its full speed.
 */
const charCodeAt: (this: string, index: number) => number = String.prototype.charCodeAt;

/**
 * Null spellings recognised by default: the empty string, `NULL`, `null`, `Null`, `NA`, `N/A`,
 * `n/a`, `#N/A` (spreadsheets), `NaN` and `\N` (MySQL/PostgreSQL dumps). Matching is exact and
 * case-sensitive; values made only of spaces/tabs also count as null unless disabled.
 */
export const DEFAULT_NULL_VALUES: readonly string[] = ['', 'NULL', 'null', 'Null', 'NA', 'N/A', 'n/a', '#N/A', 'NaN', '\\N'];

/** Builds a fast predicate for null cells. */
export function createNullMatcher(values: readonly string[], whitespaceIsNull: boolean): (v: string) => boolean {
  const set = new Set(values);
  let maxLen = 0;
  // First characters of the spellings: most cells are rejected by one table lookup.
  const first = new Uint8Array(128);
  let nonAsciiFirst = false;
  for (const v of values) {
    maxLen = Math.max(maxLen, v.length);
    if (v.length === 0) continue;
    const c = charCodeAt.call(v, 0);
    if (c < 128) first[c] = 1;
    else nonAsciiFirst = true;
  }
  const emptyIsNull = set.has('');
  return (v: string): boolean => {
    const len = v.length;
    if (len === 0) return emptyIsNull;
    const c0 = charCodeAt.call(v, 0);
    if (len <= maxLen && (c0 < 128 ? first[c0] === 1 : nonAsciiFirst) && set.has(v)) return true;
    if (whitespaceIsNull) {
      if (c0 === 32 || c0 === 9) {
        for (let i = 1; i < len; i++) {
          const d = charCodeAt.call(v, i);
          if (d !== 32 && d !== 9) return false;
        }
        return true;
      }
    }
    return false;
  };
}
