/**
 * Returns a copy of `v` that shares no memory with a larger string. Parsers cut cells out of the
 * text they read with `substring`, and V8 keeps such a "sliced string" (13+ characters) pointing
 * at the whole parent text: one kept cell would keep a whole chunk alive. Shorter strings are
 * already copies.
 */
export function detach(v: string): string {
  // Concatenation makes a cons string; slicing it flattens it into a fresh sequential string.
  return v.length < 13 ? v : (' ' + v).slice(1);
}

/**
 * Returns `v` cut to `max` UTF-16 units, as a fresh copy (see {@link detach}): a plain `slice`
 * of a long string may keep the whole original alive in V8 (sliced strings), which would defeat
 * the memory bounds.
 */
export function truncateCopy(v: string, max: number): string {
  if (v.length <= max) return detach(v);
  let end = max;
  const c = v.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--; // do not split a surrogate pair
  return Buffer.from(v.slice(0, end), 'utf8').toString('utf8');
}
