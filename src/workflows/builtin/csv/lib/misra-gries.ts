import { hash32 } from './string-hash.js';
import { detach } from './truncate.js';

/**
 * Misra–Gries frequent-items summary with batched decrements: at most `capacity` counters, never
 * an unbounded map.
 *
 * When the summary is full and a new item arrives, instead of decrementing every counter by one
 * (which would run on nearly every item of a high-cardinality column), all counters are decreased
 * by the median count, which frees at least half of them; the new item then takes a free counter.
 * A sweep costs O(capacity) but happens at most once per capacity/2 new items: O(1) amortised.
 *
 * Guarantees, for a stream of n items: each kept counter underestimates its item's true count by
 * at most `maxUndercount` (the sum of all decrements, ≤ 2n / capacity), so every item more
 * frequent than that is kept. While no decrement has happened (`exact`), the counters are the exact
 * frequencies of all distinct items seen.
 *
 * The counters live in a small open-addressing table keyed by a 32-bit string hash (typed arrays
 * plus one array of strings), which avoids the allocation churn of a Map whose keys change on
 * almost every item of a high-cardinality column. Hash collisions are resolved by comparing the
 * strings, so counts are never merged by mistake.
 */
export class MisraGries {
  readonly capacity: number;
  private keys: (string | undefined)[];
  private hashes: Uint32Array;
  private counts: Float64Array;
  private mask: number;
  private used = 0;
  private decremented = 0;
  private readonly scratch: Float64Array;
  private spareKeys: (string | undefined)[];
  private spareHashes: Uint32Array;
  private spareCounts: Float64Array;

  /**
   * @param capacity minimum number of counters kept (≥ 2); rounded up so that the table (twice the
   * capacity) is a power of two — the extra counters cost no extra memory.
   */
  constructor(capacity: number) {
    let size = 8;
    while (size < Math.max(2, Math.floor(capacity)) * 2) size <<= 1;
    this.capacity = size / 2;
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.hashes = new Uint32Array(size);
    this.counts = new Float64Array(size);
    this.mask = size - 1;
    this.scratch = new Float64Array(this.capacity);
    this.spareKeys = new Array<string | undefined>(size).fill(undefined);
    this.spareHashes = new Uint32Array(size);
    this.spareCounts = new Float64Array(size);
  }

  /** Adds one occurrence of `value`; `hash` must be hash32(value) when given. */
  add(value: string, hash: number = hash32(value)): void {
    const keys = this.keys;
    const mask = this.mask;
    let i = hash & mask;
    for (;;) {
      const k = keys[i];
      if (k === undefined) break;
      if (this.hashes[i] === hash && k === value) {
        this.counts[i]!++;
        return;
      }
      i = (i + 1) & mask;
    }
    if (this.used >= this.capacity) {
      this.sweep();
      i = hash & mask;
      while (keys[i] !== undefined) i = (i + 1) & mask;
    }
    // A new key is copied so it never keeps a larger parent string alive (see truncate.ts).
    keys[i] = detach(value);
    this.hashes[i] = hash;
    this.counts[i] = 1;
    this.used++;
  }

  /** True when adding `value` now would trigger an eviction sweep (new value, table full). */
  wouldEvict(value: string, hash: number = hash32(value)): boolean {
    if (this.used < this.capacity) return false;
    const keys = this.keys;
    let i = hash & this.mask;
    for (;;) {
      const k = keys[i];
      if (k === undefined) return true;
      if (this.hashes[i] === hash && k === value) return false;
      i = (i + 1) & this.mask;
    }
  }

  /** Decreases every counter by the median count, drops those at or below zero, re-packs the table. */
  private sweep(): void {
    const oldKeys = this.keys;
    const oldHashes = this.hashes;
    const oldCounts = this.counts;
    const n = oldKeys.length;
    let m = 0;
    for (let i = 0; i < n; i++) if (oldKeys[i] !== undefined) this.scratch[m++] = oldCounts[i]!;
    const d = selectNth(this.scratch, m, Math.floor((m - 1) / 2));
    this.decremented += d;
    // Double buffering: re-pack into the spare arrays, then swap (no allocation per sweep).
    const keys = this.spareKeys;
    const hashes = this.spareHashes;
    const counts = this.spareCounts;
    keys.fill(undefined);
    this.used = 0;
    for (let j = 0; j < n; j++) {
      const k = oldKeys[j];
      if (k === undefined) continue;
      const c = oldCounts[j]! - d;
      if (c <= 0) continue;
      const h = oldHashes[j]!;
      let i = h & this.mask;
      while (keys[i] !== undefined) i = (i + 1) & this.mask;
      keys[i] = k;
      hashes[i] = h;
      counts[i] = c;
      this.used++;
    }
    this.spareKeys = oldKeys;
    this.spareHashes = oldHashes;
    this.spareCounts = oldCounts;
    this.keys = keys;
    this.hashes = hashes;
    this.counts = counts;
  }

  /** True while the counters are exact frequencies (no decrement ever happened). */
  get exact(): boolean {
    return this.decremented === 0;
  }

  /** Upper bound of how much any reported count is below the true count. */
  get maxUndercount(): number {
    return this.decremented;
  }

  /** Number of counters currently held. */
  get size(): number {
    return this.used;
  }

  /** The `k` largest counters, by count descending then value ascending (stable output). */
  top(k: number): { value: string; count: number }[] {
    const entries: { value: string; count: number }[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const value = this.keys[i];
      if (value !== undefined) entries.push({ value, count: this.counts[i]! });
    }
    entries.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return entries.slice(0, Math.max(0, k));
  }
}

/**
 * The `k`-th smallest of `a[0, n)` (Hoare's quickselect; reorders that part of `a`). Linear on
 * average, where a full sort of the counters was the main cost of a sweep.
 */
function selectNth(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}
