/** `String.prototype.charCodeAt` as a module-local constant, called as `charCodeAt.call(s, i)` (why: see lexer.ts). */
const charCodeAt: (this: string, index: number) => number = String.prototype.charCodeAt;
/**
 * Canonical strings for the keys (and short values) the lexer meets, without slicing the input for
 * every occurrence: a JIL file repeats the same few dozen keys, and values such as `CMD`, `1` or an
 * owner, millions of times. Sharing one instance saves the allocations and the garbage collector's
 * copying of millions of identical small strings. Bounded, so a file full of distinct junk cannot grow
 * it without limit (past the bound it simply slices).
 */
export class KeyInterner {
  private readonly buckets = new Map<number, string[]>();
  private size = 0;

  /**
   * @param lowerCase Return lower-cased strings (keys) or the text as written (values). Default true.
   * @param max Most distinct strings remembered. Default 4096.
   */
  constructor(
    private readonly lowerCase = true,
    private readonly max = 4096,
  ) {}

  /** `text.slice(start, end)` (lower-cased for keys), the same string instance for equal text. */
  get(text: string, start: number, end: number): string {
    const lc = this.lowerCase;
    let h = end - start;
    for (let k = start; k < end; k++) {
      let c = charCodeAt.call(text, k);
      if (lc && c >= 65 && c <= 90) c += 32;
      h = (Math.imul(h, 31) + c) | 0;
    }
    const bucket = this.buckets.get(h);
    if (bucket !== undefined) {
      for (const s of bucket) if (lc ? equalsLower(s, text, start, end) : equalsExact(s, text, start, end)) return s;
    }
    const raw = text.slice(start, end);
    const s = lc ? raw.toLowerCase() : raw;
    if (this.size < this.max) {
      this.size++;
      if (bucket !== undefined) bucket.push(s);
      else this.buckets.set(h, [s]);
    }
    return s;
  }
}

function equalsLower(s: string, text: string, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let k = 0; k < s.length; k++) {
    let c = charCodeAt.call(text, start + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== charCodeAt.call(s, k)) return false;
  }
  return true;
}

function equalsExact(s: string, text: string, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let k = 0; k < s.length; k++) if (charCodeAt.call(text, start + k) !== charCodeAt.call(s, k)) return false;
  return true;
}
