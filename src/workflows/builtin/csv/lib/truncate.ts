/**
 * Returns `v` cut to `max` UTF-16 units, as a fresh copy: a plain `slice` of a long string may keep
 * the whole original alive in V8 (sliced strings), which would defeat the memory bounds.
 */
export function truncateCopy(v: string, max: number): string {
  if (v.length <= max) return v;
  let end = max;
  const c = v.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--; // do not split a surrogate pair
  return Buffer.from(v.slice(0, end), 'utf8').toString('utf8');
}
