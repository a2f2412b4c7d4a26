import { RateLimitError } from './http-errors.js';

/**
 * Uploads in flight per user in this API process. Each streaming upload holds a few multipart
 * parts in memory, so the number one user may run at once is capped (config:
 * DATAOPS_UPLOADS_PER_USER); the next one gets 429 with Retry-After.
 */
export class UploadSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly maxPerUser: number) {}

  /** Takes a slot for the user; returns the function that gives it back (safe to call twice). */
  take(userId: string): () => void {
    const n = this.inFlight.get(userId) ?? 0;
    if (n >= this.maxPerUser) {
      throw new RateLimitError(`Too many uploads at once: at most ${this.maxPerUser} per user; wait for one to finish`, 1, {
        details: { limit: this.maxPerUser },
      });
    }
    this.inFlight.set(userId, n + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.inFlight.get(userId) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(userId);
      else this.inFlight.set(userId, left);
    };
  }
}

const byLimit = new Map<number, UploadSlots>();

/** The process's slots for a given cap (one table per API process). */
export function uploadSlots(maxPerUser: number): UploadSlots {
  let s = byLimit.get(maxPerUser);
  if (!s) byLimit.set(maxPerUser, (s = new UploadSlots(maxPerUser)));
  return s;
}
