import { attributeKind, isRepeatable } from './attributes.js';
import type { JilAttributes, JilScalar } from './parse-schema.js';
import { stripItemQuotes } from './value-decode.js';
import { listItemProblems, misspeltAttribute } from './attribute-checks.js';

const NUMBER_RE = /^[-+]?\d+(\.\d+)?$/;
const TRUE_WORDS = new Set(['1', 'y', 'yes', 'true', 't']);
const FALSE_WORDS = new Set(['0', 'n', 'no', 'false', 'f']);

/** Comma- (or other) separated items, trimmed and unquoted, empty ones dropped. Exact-size array. */
function splitList(value: string, sep: string): string[] {
  const parts = value.split(sep);
  let n = 0;
  for (const part of parts) {
    const item = stripItemQuotes(part);
    if (item !== '') parts[n++] = item;
  }
  parts.length = n;
  return parts;
}

/**
 * Types one decoded value of attribute `name`. Unknown attributes and empty values stay strings; a
 * known value that does not fit its type stays a string and `warn` is called.
 */
export function typeValue(name: string, value: string, warn: (message: string) => void): JilScalar | JilScalar[] {
  const kind = attributeKind(name);
  if (kind === undefined || kind === 'string' || value === '') return value;
  switch (kind) {
    case 'number':
      if (NUMBER_RE.test(value)) return Number(value);
      warn(`${name}: expected a number, kept ${JSON.stringify(value)} as text`);
      return value;
    case 'boolean': {
      const w = value.toLowerCase();
      if (TRUE_WORDS.has(w)) return true;
      if (FALSE_WORDS.has(w)) return false;
      warn(`${name}: expected 1/0 or y/n, kept ${JSON.stringify(value)} as text`);
      return value;
    }
    case 'list': {
      const items = splitList(value, ',');
      for (const p of listItemProblems(name, items)) warn(p);
      return items;
    }
    case 'numberList': {
      const items = splitList(value, ',');
      if (items.every((i) => NUMBER_RE.test(i))) return items.map(Number);
      warn(`${name}: expected numbers, kept ${JSON.stringify(value)} as text items`);
      return items;
    }
    case 'window':
      return splitList(value, '-');
  }
}

/**
 * Builds the typed attributes of one statement from its pairs in order (`keys[k]: values[k]` written
 * on `lines[k]`, for k < count). Repeatable attributes are always lists; any other attribute given
 * several times becomes a list of its typed values (with a warning for known attributes, which
 * AutoSys does not repeat). `warn(line, message)` receives typing problems.
 */
export function typeAttributes(
  keys: readonly string[],
  values: readonly string[],
  lines: readonly number[],
  count: number,
  warn: (line: number, message: string) => void,
): JilAttributes {
  const out: JilAttributes = {};
  let repeated: Set<string> | undefined;
  let line = 0;
  const onBad = (message: string): void => warn(line, message);
  for (let k = 0; k < count; k++) {
    const key = keys[k] as string;
    line = lines[k] as number;
    if (attributeKind(key) === undefined) {
      const near = misspeltAttribute(key);
      if (near) warn(line, `${key} is not an attribute AutoSys knows; did you mean ${near}? (kept as written)`);
    }
    const value = typeValue(key, values[k] as string, onBad);
    let prev = out[key];
    if (prev !== undefined && !Object.hasOwn(out, key)) prev = undefined; // inherited names (constructor, …)
    if (prev === undefined) {
      const v = isRepeatable(key) ? [value as JilScalar] : value;
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    } else if (isRepeatable(key) || repeated?.has(key)) {
      // a fresh exact-size array rather than push (push-grown arrays keep spare capacity)
      const list = [...(prev as (JilScalar | JilScalar[])[]), value];
      if (key === '__proto__') Object.defineProperty(out, key, { value: list, enumerable: true, writable: true, configurable: true });
      else out[key] = list as JilScalar[];
    } else {
      (repeated ??= new Set()).add(key);
      if (attributeKind(key) !== undefined) warn(line, `${key} is given several times in one statement; all values kept as a list`);
      const list: (JilScalar | JilScalar[])[] = [prev as JilScalar | JilScalar[], value];
      if (key === '__proto__') Object.defineProperty(out, key, { value: list, enumerable: true, writable: true, configurable: true });
      else out[key] = list;
    }
  }
  return out;
}
