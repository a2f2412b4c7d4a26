/**
 * Fast non-cryptographic string hashes over UTF-16 code units.
 *
 * `hash32` is FNV-1a followed by the murmur3 finaliser (fmix32), which gives a well-mixed 32-bit
 * value even for strings that differ only in their last character (sequential ids). It feeds the
 * HyperLogLog sketch. `hash64` returns two independent 32-bit halves (different seeds and
 * multipliers) for the exact uniqueness check, where a collision would hide a duplicate: for n keys
 * the probability of any collision is about n² / 2⁶⁵ (≈ 3·10⁻⁶ for 10 million keys).
 */

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)`. Once any class in the process
 * extends String (ioredis, loaded by every BullMQ worker, does), V8 (Node 20) makes each method call
 * `s.charCodeAt(i)` several times slower; a call through a module constant keeps its full speed.
 */
const charCodeAt: (this: string, index: number) => number = String.prototype.charCodeAt;

/** murmur3 32-bit finaliser: full avalanche of a 32-bit state. */
export function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit hash of a string (FNV-1a + fmix32). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= charCodeAt.call(s, i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h ^ s.length);
}

/** Second, independent 32-bit hash (multiply-xorshift with another seed and multiplier). */
export function hash32b(s: string): number {
  let h = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ charCodeAt.call(s, i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return fmix32(h);
}

/** 64-bit hash as two unsigned 32-bit halves. */
export function hash64(s: string): [hi: number, lo: number] {
  return [hash32(s), hash32b(s)];
}
