import { detach } from './truncate.js';

/**
 * Open-addressing set of strings keyed by a hash the caller already has (hash32 of the value),
 * so a lookup costs one probe and one string comparison instead of V8 hashing every fresh cell
 * string again as a `Set` would. Grows at half load. Stored strings are detached copies (see
 * truncate.ts).
 */
export class StringSet {
  private keys: (string | undefined)[];
  private hashes: Uint32Array;
  private mask: number;
  private count = 0;

  /** @param initialCapacity slots to start with (rounded up to a power of two, at least 16). */
  constructor(initialCapacity = 16) {
    let cap = 16;
    while (cap < initialCapacity) cap <<= 1;
    this.keys = new Array<string | undefined>(cap).fill(undefined);
    this.hashes = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  /** Number of strings held. */
  get size(): number {
    return this.count;
  }

  /** Adds `value`, whose hash32 is `hash`. Returns true when it was not there yet. */
  add(value: string, hash: number): boolean {
    const keys = this.keys;
    const hashes = this.hashes;
    const mask = this.mask;
    let i = hash & mask;
    for (;;) {
      const k = keys[i];
      if (k === undefined) break;
      if (hashes[i] === hash && k === value) return false;
      i = (i + 1) & mask;
    }
    keys[i] = detach(value);
    hashes[i] = hash;
    if (++this.count * 2 > keys.length) this.grow();
    return true;
  }

  /** The strings held, in no particular order. */
  *values(): IterableIterator<string> {
    for (const k of this.keys) if (k !== undefined) yield k;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldHashes = this.hashes;
    const cap = oldKeys.length * 2;
    this.keys = new Array<string | undefined>(cap).fill(undefined);
    this.hashes = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j];
      if (k === undefined) continue;
      const h = oldHashes[j]!;
      let i = h & this.mask;
      while (this.keys[i] !== undefined) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.hashes[i] = h;
    }
  }
}
