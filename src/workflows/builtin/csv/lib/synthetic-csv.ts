import { Readable } from 'node:stream';
import { mulberry32 } from './prng.js';

/** Options of {@link syntheticCsv}. */
export interface SyntheticCsvOptions {
  /** Approximate size of the generated file in bytes (generation stops after the row crossing it). */
  bytes: number;
  /** Seed of the generator. Default: 1. */
  seed?: number;
  /** Bytes per emitted chunk. Default: 65,536. */
  chunkBytes?: number;
}

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Eve', 'Farid', 'Grace', 'Hiro', 'Inès', 'Jonas', 'Kemal', 'Lena'];
const LAST = ['Smith', 'García', 'Müller', 'Rossi', "O'Neil", 'Nakamura', 'Dubois', 'Kowalski', 'Silva', 'Ivanova'];
const CATEGORIES = ['books', 'electronics', 'garden', 'toys', 'grocery', 'sports', 'beauty'];
const NOTES = ['', 'gift wrap', 'leave at door, ring twice', 'fragile', '"urgent" delivery', 'call before\ndelivery', 'NULL'];

/** Writes the decimal digits of a non-negative integer at `o`; returns the new offset. */
function writeDigits(buf: Buffer, o: number, n: number): number {
  if (n > 0x7fffffff) {
    const text = String(n);
    return o + buf.write(text, o, 'latin1');
  }
  // Int32 arithmetic (exact below 2^31) is much cheaper than Math.floor on doubles.
  let len = 1;
  for (let x = n; x >= 10; x = (x / 10) | 0) len++;
  let x = n;
  for (let i = len - 1; i >= 0; i--) {
    const q = (x / 10) | 0;
    buf[o + i] = 48 + x - q * 10;
    x = q;
  }
  return o + len;
}

/**
 * A lazily generated CSV stream of about `bytes` bytes with 10 mixed columns (integer id, string
 * code, quoted name, decimal amount, integer quantity, ISO timestamp, date, boolean, low-cardinality
 * category, and a quoted note with commas, escaped quotes, newlines and nulls). Rows are produced
 * on demand in `read()`, so memory stays flat whatever the size. Used by the benchmark and the
 * memory test.
 */
export function syntheticCsv(opts: SyntheticCsvOptions): Readable {
  const random = mulberry32(opts.seed ?? 1);
  const chunkBytes = opts.chunkBytes ?? 65_536;
  const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
  // Small pools of pre-rendered cells keep generation cheap (the benchmark measures the profiler,
  // not the generator) while columns keep realistic cardinalities.
  const pool = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
  const names = pool(2000, () => `"${FIRST[Math.floor(random() * FIRST.length)]} ${LAST[Math.floor(random() * LAST.length)]}"`);
  const amounts = pool(8192, () => (random() * 10_000).toFixed(2));
  const stamps = pool(8192, () => {
    const m = 1 + Math.floor(random() * 12);
    const d = 1 + Math.floor(random() * 28);
    return `2024-${two(m)}-${two(d)}T${two(Math.floor(random() * 24))}:${two(Math.floor(random() * 60))}:${two(Math.floor(random() * 60))}Z`;
  });
  const dates = pool(365, (i) => {
    const day = new Date(Date.UTC(2023, 0, 1 + i));
    return day.toISOString().slice(0, 10);
  });
  const notes = NOTES.map((n) => (n === '' || n === 'NULL' ? n : `"${n.replace(/"/g, '""')}"`));
  // Everything after the id and code columns comes from a pool of pre-encoded row tails, so
  // producing a row is one small ASCII write plus one memory copy.
  const tails = pool(16_384, () => {
    const r = Math.floor(random() * 0x7fffffff);
    return Buffer.from(
      `,${names[r % 2000]},${amounts[(r >>> 3) & 8191]},${1 + (r % 20)},${stamps[Math.floor(random() * 8192)]},` +
        `${dates[(r >>> 7) % 365]},${r & 64 ? 'true' : 'false'},${CATEGORIES[(r >>> 11) % 7]},${notes[(r >>> 13) % 7]}\n`,
      'utf8',
    );
  });
  const maxTail = Math.max(...tails.map((t) => t.length));
  const header = Buffer.from('order_id,code,customer_name,amount,quantity,created_at,ship_date,active,category,note\n');
  let produced = 0;
  let id = 0;
  let headerDone = false;
  let r = 0;
  return new Readable({
    read() {
      if (produced >= opts.bytes) {
        this.push(null);
        return;
      }
      const chunk = Buffer.allocUnsafe(chunkBytes + maxTail + 64);
      let o = 0;
      if (!headerDone) {
        headerDone = true;
        o += header.copy(chunk, 0);
      }
      while (o < chunkBytes && produced + o < opts.bytes) {
        id++;
        r = (Math.imul(r ^ id, 0x9e3779b1) + 0x7f4a7c15) >>> 0;
        o = writeDigits(chunk, o, id);
        chunk[o++] = 44; // ,
        chunk[o++] = 67; // C
        o = writeDigits(chunk, o, (id * 7919) % 1_000_003);
        const tail = tails[r & 16383]!;
        chunk.set(tail, o);
        o += tail.length;
      }
      produced += o;
      this.push(chunk.subarray(0, o));
    },
  });
}
