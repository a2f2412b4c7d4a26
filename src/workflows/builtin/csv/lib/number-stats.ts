import { Welford } from './welford.js';

/**
 * Running statistics of a column read under one number convention (DOT or COMMA, see
 * number-scan.ts): alive while every non-null value is a number under that convention.
 */
export class NumberStats {
  alive = true;
  allInteger = true;
  exponent = false;
  grouped = false;
  intDigits = 0;
  scale = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly moments = new Welford();

  add(x: number, integer: boolean, intDigits: number, scale: number, grouped: boolean): void {
    if (!integer) this.allInteger = false;
    if (intDigits > this.intDigits) this.intDigits = intDigits;
    if (scale > this.scale) this.scale = scale;
    if (grouped) this.grouped = true;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.moments.add(x);
  }
}
