import { wordBoolean } from './boolean-tokens.js';
import { createNumberScan, scanNumber } from './number-scan.js';
import { createTemporalScan, scanTemporal } from './temporal.js';

/** Coarse kind of one cell, used by the dialect detector. */
export type CellKind = 'null' | 'number' | 'boolean' | 'temporal' | 'string';

const numScratch = createNumberScan();
const timeScratch = createTemporalScan();

/** Classifies a single cell. */
export function cellKind(v: string, isNull: (v: string) => boolean): CellKind {
  if (isNull(v)) return 'null';
  if (scanNumber(v, numScratch)) return 'number';
  if (scanTemporal(v, timeScratch)) return 'temporal';
  if (wordBoolean(v) !== undefined) return 'boolean';
  return 'string';
}

/**
 * Kind shared by all non-null cells of a column (`number`, `boolean` — word booleans possibly mixed
 * with 0/1 —, `temporal`), `string` otherwise, or `null` when every cell is null.
 */
export function columnKind(kinds: readonly CellKind[], values: readonly string[]): CellKind {
  let num = true;
  let bool = true;
  let temporal = true;
  let any = false;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i];
    if (k === 'null') continue;
    any = true;
    const v = values[i];
    if (k !== 'number') num = false;
    if (!(k === 'boolean' || (k === 'number' && (v === '0' || v === '1')))) bool = false;
    if (k !== 'temporal') temporal = false;
  }
  if (!any) return 'null';
  if (num) return 'number';
  if (bool) return 'boolean';
  if (temporal) return 'temporal';
  return 'string';
}
