/**
 * Bounded uniform sample of a stream (reservoir sampling, Li's "Algorithm L"): after n items every
 * item has had probability k/n of being kept. The random generator is only called when an item is
 * actually taken, so the per-item cost is one comparison.
 */
export class Reservoir<T> {
  readonly capacity: number;
  private readonly items: T[] = [];
  private readonly random: () => number;
  private seen = 0;
  private nextIndex = 0;
  private w = 1;

  /**
   * @param capacity maximum number of items kept (≥ 0).
   * @param random uniform generator in [0, 1) (pass a seeded one for reproducible output).
   */
  constructor(capacity: number, random: () => number) {
    this.capacity = Math.max(0, Math.floor(capacity));
    this.random = random;
  }

  /** Offers one item. Returns true when it was kept. */
  offer(item: T): boolean {
    const i = this.seen++;
    if (i < this.capacity) {
      this.items.push(item);
      if (i === this.capacity - 1) this.advance(i);
      return true;
    }
    if (this.capacity === 0 || i !== this.nextIndex) return false;
    this.items[Math.floor(this.random() * this.capacity)] = item;
    this.advance(i);
    return true;
  }

  /** Whether the item with the next sequence number would be kept (lets callers skip work). */
  wouldKeepNext(): boolean {
    return this.seen < this.capacity || (this.capacity > 0 && this.seen === this.nextIndex);
  }

  /** Number of items offered so far. */
  get count(): number {
    return this.seen;
  }

  /** The kept items, in reservoir order. */
  values(): T[] {
    return this.items.slice();
  }

  private advance(current: number): void {
    const k = this.capacity;
    this.w *= Math.exp(Math.log(this.random() || Number.MIN_VALUE) / k);
    const skip = Math.floor(Math.log(this.random() || Number.MIN_VALUE) / Math.log(1 - this.w));
    this.nextIndex = current + 1 + (Number.isFinite(skip) && skip > 0 ? skip : 0);
  }
}
