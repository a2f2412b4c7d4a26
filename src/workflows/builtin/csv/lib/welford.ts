/**
 * Running mean and variance (Welford 1962): numerically stable in one pass and O(1) memory.
 * `stddev` is the sample standard deviation (n − 1 denominator), null below two values.
 */
export class Welford {
  count = 0;
  private meanValue = 0;
  private m2 = 0;

  add(x: number): void {
    this.count++;
    const delta = x - this.meanValue;
    this.meanValue += delta / this.count;
    this.m2 += delta * (x - this.meanValue);
  }

  get mean(): number | null {
    return this.count > 0 && Number.isFinite(this.meanValue) ? this.meanValue : null;
  }

  get stddev(): number | null {
    if (this.count < 2) return null;
    const v = Math.sqrt(this.m2 / (this.count - 1));
    return Number.isFinite(v) ? v : null;
  }
}
