/**
 * Open-addressing hash set of 64-bit hashes held in two Uint32Arrays (8 bytes per slot, load
 * factor ≤ 0.7, so about 11–23 bytes per key). Used for exact uniqueness checks without keeping
 * the values themselves: memory is bounded by `maxKeys` (default 4,000,000 keys ⇒ at most
 * 2^23 slots = 64 MiB); once full, `add` stops inserting and only reports membership.
 */
export class HashSet64 {
  readonly maxKeys: number;
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  private count = 0;
  private full = false;

  /** @param maxKeys maximum number of keys stored (default 4,000,000). */
  constructor(maxKeys = 4_000_000, initialCapacity = 1024) {
    this.maxKeys = maxKeys;
    let cap = 16;
    while (cap < initialCapacity) cap <<= 1;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  /** Number of keys stored. */
  get size(): number {
    return this.count;
  }

  /** True once `maxKeys` was reached and later keys were no longer stored. */
  get saturated(): boolean {
    return this.full;
  }

  /**
   * Adds a key. Returns true when the key was already present (a duplicate), false otherwise
   * (also when the set is saturated and the key could not be stored).
   */
  add(hiIn: number, loIn: number): boolean {
    const h = hiIn >>> 0;
    // (0, 0) marks an empty slot; fold it onto (0, 1).
    const l = h === 0 && loIn >>> 0 === 0 ? 1 : loIn >>> 0;
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & this.mask;
    for (;;) {
      const sh = this.hi[i]!;
      const sl = this.lo[i]!;
      if (sh === 0 && sl === 0) break;
      if (sh === h && sl === l) return true;
      i = (i + 1) & this.mask;
    }
    if (this.count >= this.maxKeys) {
      this.full = true;
      return false;
    }
    this.hi[i] = h;
    this.lo[i] = l;
    this.count++;
    if (this.count > this.hi.length * 0.7) this.grow();
    return false;
  }

  private grow(): void {
    const oldHi = this.hi;
    const oldLo = this.lo;
    const cap = oldHi.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < oldHi.length; j++) {
      const h = oldHi[j]!;
      const l = oldLo[j]!;
      if (h === 0 && l === 0) continue;
      let i = (h ^ Math.imul(l, 0x9e3779b1)) & this.mask;
      while (this.hi[i] !== 0 || this.lo[i] !== 0) i = (i + 1) & this.mask;
      this.hi[i] = h;
      this.lo[i] = l;
    }
  }
}
