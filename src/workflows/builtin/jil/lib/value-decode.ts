/** `String.prototype.charCodeAt` as a module-local constant, called as `charCodeAt.call(s, i)` (why: see lexer.ts). */
const charCodeAt: (this: string, index: number) => number = String.prototype.charCodeAt;
/**
 * Decoding of one raw JIL value (already cut out of its line and trimmed).
 *
 * Rules (documented in examples/jil/README.md):
 * - A value that is exactly one double-quoted string loses its quotes, and `\"` inside becomes `"`.
 *   Other backslashes stay as written (`"C:\do_it.bat"` → `C:\do_it.bat`, `\\` stays `\\`).
 * - `command` keeps its quotes: they belong to the command line the agent runs.
 * - `\:` (an escaped colon) becomes `:` everywhere, quoted or not.
 */

/**
 * Index just past the double-quoted string that opens at `start` (which must hold `"`), or -1 when
 * the string is not closed before `end`. A backslash escapes the next character.
 */
export function quotedEnd(text: string, start: number, end: number): number {
  let i = start + 1;
  while (i < end) {
    const c = charCodeAt.call(text, i);
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === 34 /* " */) return i + 1;
    i++;
  }
  return -1;
}

/** True when the whole string is one double-quoted string. */
export function isWhollyQuoted(value: string): boolean {
  return value.length >= 2 && charCodeAt.call(value, 0) === 34 && quotedEnd(value, 0, value.length) === value.length;
}

/** `\"` → `"` and `\:` → `:`; every other backslash is kept. */
function unescapeQuotedBody(body: string): string {
  if (body.indexOf('\\') < 0) return body;
  return body.replace(/\\([":])/g, '$1');
}

/**
 * Decodes a trimmed raw value for attribute `key` (see the module comment). `hasBackslash` lets the
 * lexer, which has already looked at every character, skip the escape pass; omit it to have it checked.
 */
export function decodeValue(key: string, raw: string, hasBackslash = raw.indexOf('\\') >= 0): string {
  if (charCodeAt.call(raw, 0) === 34 && key !== 'command' && isWhollyQuoted(raw)) {
    const body = raw.slice(1, -1);
    return hasBackslash ? unescapeQuotedBody(body) : body;
  }
  if (!hasBackslash || raw.indexOf('\\:') < 0) return raw;
  return raw.replace(/\\:/g, ':');
}

/** Removes one pair of surrounding double quotes from a list item, if present. */
export function stripItemQuotes(item: string): string {
  const t = item.trim();
  if (isWhollyQuoted(t)) return unescapeQuotedBody(t.slice(1, -1)).trim();
  return t;
}
