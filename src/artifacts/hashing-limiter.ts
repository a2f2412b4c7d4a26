import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { PayloadTooLargeError } from '../errors/payload-too-large-error.js';

/** The message every size-limit refusal uses, so buffers and streams read the same. */
export function tooLargeMessage(limitBytes: number, seenBytes: number, streaming: boolean): string {
  const seen = streaming ? `more than ${limitBytes} bytes arrived (stopped at ${seenBytes})` : `content is ${seenBytes} bytes`;
  return `artifact too large: ${seen}; the limit is ${limitBytes} bytes (DATAOPS_ARTIFACT_MAX_BYTES)`;
}

/**
 * Pass-through that counts bytes, hashes them (SHA-256) and fails with PayloadTooLargeError as soon
 * as more than `limitBytes` have gone through — before the excess chunk is passed on.
 */
export class HashingLimiter extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private readonly limitBytes: number;
  bytes = 0;

  constructor(limitBytes: number) {
    super();
    this.limitBytes = limitBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limitBytes) {
      done(
        new PayloadTooLargeError(tooLargeMessage(this.limitBytes, this.bytes, true), {
          details: { limitBytes: this.limitBytes, receivedBytes: this.bytes },
        }),
      );
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** Hex digest; call once, after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
