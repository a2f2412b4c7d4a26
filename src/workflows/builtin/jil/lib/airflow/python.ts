/**
 * Python source helpers for the generated DAG files: string literals, comments and identifiers that
 * always compile, whatever bytes the JIL held.
 */

/**
 * A double-quoted Python string literal for `s` (repr-style): backslashes, quotes, newlines, tabs, other
 * control characters and lone surrogates are escaped; other characters stay as they are (files are UTF-8).
 */
export function pyStr(s: string): string {
  if (!/[\\"\u0000-\u001f\u007f\ud800-\udfff]/.test(s)) return `"${s}"`;
  const parts: string[] = ['"'];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c === 92) esc = '\\\\';
    else if (c === 34) esc = '\\"';
    else if (c === 10) esc = '\\n';
    else if (c === 13) esc = '\\r';
    else if (c === 9) esc = '\\t';
    else if (c < 32 || c === 127) esc = `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++; // a valid pair stays as it is
      else esc = `\\u${c.toString(16).padStart(4, '0')}`;
    }
    if (esc !== null) {
      parts.push(s.slice(from, i), esc);
      from = i + 1;
    }
  }
  parts.push(s.slice(from), '"');
  return parts.join('');
}

/** A Python literal for a JSON-like value (str, int/float, bool, None, list, dict, tuple via `tuple`). */
export function pyValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'None';
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${pyValue(v.items[0])},)` : `(${v.items.map(pyValue).join(', ')})`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyStr(k)}: ${pyValue(x)}`)
      .join(', ')}}`;
  }
  return pyStr(String(v));
}

/** Marks an array to be written as a Python tuple by {@link pyValue}. */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** One line of comment text: line breaks and control characters become spaces. */
export function pyCommentText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 32 || c === 127 || (c >= 0xd800 && c <= 0xdfff) ? ' ' : text[i];
  }
  return out.trim();
}

/** A Python identifier from arbitrary text: `[A-Za-z0-9_]`, never starting with a digit. */
export function pyIdentifier(prefix: string, text: string): string {
  const body = text.replace(/[^A-Za-z0-9_]/g, '_');
  return `${prefix}${body}`.slice(0, 200);
}
