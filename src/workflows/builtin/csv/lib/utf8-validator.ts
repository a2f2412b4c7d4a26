import { isUtf8 } from 'node:buffer';

/**
 * Chunk-boundary-safe UTF-8 validity check. A multi-byte sequence cut by a chunk boundary is held
 * back (at most 3 bytes) and checked together with the start of the next chunk, so splitting a
 * valid stream anywhere never reports an error. Uses Node's native `buffer.isUtf8` (fast, no copy
 * of the chunk except for the ≤ 4-byte seam).
 */
export class Utf8Validator {
  private carry: Buffer = Buffer.alloc(0);
  /** Set once any invalid sequence was seen. */
  invalid = false;

  /** Checks the next chunk; returns false when this chunk revealed invalid UTF-8. */
  push(chunk: Buffer): boolean {
    let start = 0;
    if (this.carry.length > 0) {
      const need = sequenceLength(this.carry[0]!) - this.carry.length;
      const seam = Buffer.concat([this.carry, chunk.subarray(0, Math.max(0, need))]);
      this.carry = Buffer.alloc(0);
      if (seam.length < sequenceLength(seam[0]!)) {
        // Still incomplete (tiny chunk): keep waiting.
        this.carry = seam;
        return true;
      }
      start = Math.max(0, need);
      if (!isUtf8(seam)) this.invalid = true;
    }
    const end = incompleteTailStart(chunk, start);
    if (end > start && !isUtf8(chunk.subarray(start, end))) this.invalid = true;
    if (end < chunk.length) this.carry = Buffer.from(chunk.subarray(end));
    return !this.invalid;
  }

  /** Ends the stream: a held-back incomplete sequence is invalid. */
  end(): boolean {
    if (this.carry.length > 0) this.invalid = true;
    this.carry = Buffer.alloc(0);
    return !this.invalid;
  }
}

/** Expected length of a sequence from its lead byte (1 for ASCII and for invalid leads). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  return 1;
}

/** Index where an incomplete trailing multi-byte sequence starts (chunk.length when none). */
function incompleteTailStart(chunk: Buffer, from: number): number {
  const n = chunk.length;
  for (let back = 1; back <= 3 && n - back >= from; back++) {
    const b = chunk[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const len = sequenceLength(b);
    return len > back ? n - back : n;
  }
  return n;
}
