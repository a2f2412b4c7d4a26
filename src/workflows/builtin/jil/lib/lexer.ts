import { z } from 'zod';
import { JOB_SPLIT_KEYS, JOB_SUBCOMMANDS, OBJECT_SPLIT_KEYS } from './attributes.js';
import { KeyInterner } from './key-intern.js';
import { decodeValue } from './value-decode.js';

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)`: the lexer reads every character.
 * Once any class in the process extends String (ioredis, loaded by every BullMQ worker, does), V8
 * (Node 20) makes each method call `s.charCodeAt(i)` several times slower; a call through a
 * module-local constant keeps its full speed (an imported one does not). Measured in a worker's
 * conditions (`npm run bench -- jil` loads ioredis first): 13.5–14.6 MB/s before, 22–30 after.
 */
const charCodeAt: (this: string, index: number) => number = String.prototype.charCodeAt;

/**
 * The JIL lexer: text → `key: value` tokens with line numbers. One pass, char codes only, no
 * backtracking regular expressions, so it is linear in the input.
 *
 * What it understands (real exports are messy):
 * - LF and CRLF line ends (a stray CR is whitespace), a leading BOM, tabs, NBSP.
 * - `#` comment lines (first non-blank character is `#`); `#` later in a line is text.
 * - `/* … *\/` comments: a comment that starts a line may span lines; later in a line, `/*` only starts a
 *   comment when it follows whitespace AND closes on the same line — so `rm /data/*.csv` or `ls /*` in a
 *   command stay text.
 * - Several pairs on one line. At the start of a line any identifier followed by `:` is a key (known or
 *   not). In the middle of a line a new pair starts only at a KNOWN attribute or subcommand name that
 *   follows whitespace, is directly followed by `:`, and is outside double quotes; so `http://x`,
 *   `echo a:b`, `C\:\dir` and `"text with owner: x"` stay inside the value. Which names count depends on
 *   the statement: job attributes inside job statements, object attributes inside `insert_machine` & co.
 * - A value runs to that next key, a same-line comment, or the end of the line; it is trimmed and
 *   decoded by {@link decodeValue} (quotes, `\"`, `\:`).
 */

export const JilToken = z
  .object({
    /** The key, lower-cased (`insert_job`, `command`, `my_custom_attr`). */
    key: z.string(),
    /** The decoded value (may be empty). */
    value: z.string(),
    /** 1-based line number of the key. */
    line: z.number().int().positive(),
    /** 1-based column of the key. */
    column: z.number().int().positive(),
  })
  .strict();
export type JilToken = z.infer<typeof JilToken>;

export const JilLexWarning = z.object({ line: z.number().int().nonnegative(), message: z.string() }).strict();
export type JilLexWarning = z.infer<typeof JilLexWarning>;

/** Receives the lexer's output as it goes. */
export interface JilLexSink {
  token(key: string, value: string, line: number, column: number): void;
  warning(line: number, message: string): void;
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0xa0 || c === 11 || c === 12;
}
function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}
function isObjectVerbKey(id: string): boolean {
  return (
    (id.startsWith('insert_') || id.startsWith('update_') || id.startsWith('delete_')) &&
    id.length > 7 &&
    /^[a-z][a-z0-9_]*$/.test(id)
  );
}

const MAX_STRAY = 80;
/** Values up to this length are shared through an interner (longer ones are cheap slices anyway). */
const SHORT_VALUE = 12;

/** `text.indexOf(needle, from)`, or `none` when absent. */
function indexOr(text: string, needle: string, from: number, none: number): number {
  const k = text.indexOf(needle, from);
  return k < 0 ? none : k;
}

/** Index of `*\/` between `from` and `end` (exclusive), or -1; never looks past the line. */
function closeOnLine(text: string, from: number, end: number): number {
  for (let k = from; k + 1 < end; k++) {
    if (charCodeAt.call(text, k) === 42 && charCodeAt.call(text, k + 1) === 47) return k;
  }
  return -1;
}

/** Streams the tokens of `text` into `sink`. Returns the number of lines read. */
export function lexJilInto(text: string, sink: JilLexSink): number {
  const n = text.length;
  let pos = n > 0 && charCodeAt.call(text, 0) === 0xfeff ? 1 : 0;
  let line = 0;
  /** Index of the closing `*\/` that closes the open multi-line comment; -2 when none is open, -1 when never closed. */
  let commentClose = -2;
  let commentLine = 0;
  let splitKeys: ReadonlySet<string> = JOB_SPLIT_KEYS;
  const keys = new KeyInterner();
  let nextQuote = -1;
  let nextBackslash = -1;
  let nextComment = -1;
  let nextColon = -1;
  const shortValues = new KeyInterner(false, 16_384);

  while (pos <= n) {
    if (pos === n && n > 0 && charCodeAt.call(text, n - 1) === 10) break;
    line++;
    let le = text.indexOf('\n', pos);
    if (le < 0) le = n;
    const ls = pos;
    let i = pos;
    pos = le + 1;

    if (commentClose !== -2) {
      if (commentClose === -1 || commentClose + 2 > le) continue;
      i = commentClose + 2;
      commentClose = -2;
    }

    // Line-start context: comments, then one key.
    lineLoop: while (i < le) {
      while (i < le && isWs(charCodeAt.call(text, i))) i++;
      if (i >= le) break;
      const c = charCodeAt.call(text, i);
      if (c === 35 /* # */) break;
      if (c === 47 /* / */ && charCodeAt.call(text, i + 1) === 42 /* * */) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0 || close + 2 > le) {
          commentClose = close;
          commentLine = line;
          break;
        }
        i = close + 2;
        continue;
      }
      // key at line start: identifier, optional blanks, ':'
      let j = i;
      if (isIdentStart(c)) {
        j++;
        while (j < le && isIdentChar(charCodeAt.call(text, j))) j++;
      }
      let k = j;
      while (k < le && (charCodeAt.call(text, k) === 32 || charCodeAt.call(text, k) === 9)) k++;
      if (j === i || charCodeAt.call(text, k) !== 58 /* : */) {
        let stray = text.slice(i, le).trim();
        if (stray.length > MAX_STRAY) stray = `${stray.slice(0, MAX_STRAY)}…`;
        sink.warning(line, `text outside any "attribute: value" pair ignored: ${JSON.stringify(stray)}`);
        break;
      }
      let keyStart = i;
      let key = keys.get(text, i, j);
      let valueStart = k + 1;

      // Pairs on this line: each iteration reads one value, then either the next key or the end.
      for (;;) {
        if (JOB_SUBCOMMANDS.has(key)) splitKeys = JOB_SPLIT_KEYS;
        else if (isObjectVerbKey(key)) splitKeys = OBJECT_SPLIT_KEYS;

        // scan the value
        let v = valueStart;
        while (v < le && isWs(charCodeAt.call(text, v))) v++;
        const vStart = v;
        let wsBefore = v > valueStart;
        let inQuote = false;
        let hasBackslash = false;
        let stop = le; // where the value ends
        let nextKeyStart = -1;
        let nextKeyEnd = -1;
        let commentEnd = -1;
        // Cached positions of the next '"', '\\', '/*' and ':' (each recomputed only once passed: linear).
        if (nextQuote < v) nextQuote = indexOr(text, '"', v, n);
        if (nextBackslash < v) nextBackslash = indexOr(text, '\\', v, n);
        if (nextComment < v) nextComment = indexOr(text, '/*', v, n);
        if (nextQuote >= le && nextBackslash >= le && nextComment >= le) {
          // Fast path: no quotes, escapes or comments in the rest of the line; only a colon can end the
          // value, and only when a known key (an identifier after whitespace) stands right before it.
          if (nextColon < v) nextColon = indexOr(text, ':', v, n);
          while (nextColon < le) {
            const c = nextColon;
            let st = c;
            while (st > v && isIdentChar(charCodeAt.call(text, st - 1))) st--;
            if (st < c && isIdentStart(charCodeAt.call(text, st)) && (st > v ? isWs(charCodeAt.call(text, st - 1)) : wsBefore)) {
              const id = keys.get(text, st, c);
              if (splitKeys.has(id) || isObjectVerbKey(id)) {
                stop = st;
                nextKeyStart = st;
                nextKeyEnd = c;
                break;
              }
            }
            nextColon = indexOr(text, ':', c + 1, n);
          }
        } else {
          while (v < le) {
            const ch = charCodeAt.call(text, v);
            if (inQuote) {
              if (ch === 92) {
                hasBackslash = true;
                v += 2;
              } else {
                if (ch === 34) inQuote = false;
                v++;
              }
              continue;
            }
            if (ch === 34) {
              inQuote = true;
              wsBefore = false;
              v++;
              continue;
            }
            if (ch === 92) {
              hasBackslash = true;
              v += 2;
              wsBefore = false;
              continue;
            }
            if (isWs(ch)) {
              wsBefore = true;
              v++;
              continue;
            }
            if (wsBefore) {
              if (ch === 47 && charCodeAt.call(text, v + 1) === 42) {
                const close = closeOnLine(text, v + 2, le);
                if (close >= 0) {
                  stop = v;
                  commentEnd = close + 2;
                  break;
                }
              } else if (isIdentStart(ch)) {
                let e = v + 1;
                while (e < le && isIdentChar(charCodeAt.call(text, e))) e++;
                if (e < le && charCodeAt.call(text, e) === 58) {
                  const id = keys.get(text, v, e);
                  if (splitKeys.has(id) || isObjectVerbKey(id)) {
                    stop = v;
                    nextKeyStart = v;
                    nextKeyEnd = e;
                    break;
                  }
                }
                v = e;
                wsBefore = false;
                continue;
              }
            }
            wsBefore = false;
            v++;
          }
        }
        let ve = stop;
        while (ve > vStart && isWs(charCodeAt.call(text, ve - 1))) ve--;
        const len = ve - vStart;
        const raw = len <= 0 ? '' : len <= SHORT_VALUE && !hasBackslash ? shortValues.get(text, vStart, ve) : text.slice(vStart, ve);
        sink.token(key, decodeValue(key, raw, hasBackslash), line, keyStart - ls + 1);

        if (nextKeyStart >= 0) {
          keyStart = nextKeyStart;
          key = keys.get(text, nextKeyStart, nextKeyEnd);
          valueStart = nextKeyEnd + 1;
          continue;
        }
        if (commentEnd >= 0) {
          i = commentEnd;
          continue lineLoop;
        }
        break lineLoop;
      }
    }
  }
  if (commentClose === -1) sink.warning(commentLine, 'comment "/*" is never closed; the rest of the file was ignored');
  return line;
}

/** Lexes `text` into an array of tokens and warnings (convenient for tests and tools). */
export function lexJil(text: string): { tokens: JilToken[]; warnings: JilLexWarning[]; lines: number } {
  const tokens: JilToken[] = [];
  const warnings: JilLexWarning[] = [];
  const lines = lexJilInto(text, {
    token: (key, value, line, column) => tokens.push({ key, value, line, column }),
    warning: (line, message) => warnings.push({ line, message }),
  });
  return { tokens, warnings, lines };
}
