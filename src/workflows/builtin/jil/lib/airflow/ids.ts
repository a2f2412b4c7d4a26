import { createHash } from 'node:crypto';

/**
 * Airflow ids: dag_id and task_id allow `[A-Za-z0-9_.-]` (at most 250 characters); a TaskGroup's
 * group_id also avoids `.`, which Airflow uses to join group and task ids.
 */
const MAX_ID = 250;
/** Room kept for the `_2`, `_3` suffixes that make ids unique. */
const SUFFIX_ROOM = 5;

/** `id` cut to `max` characters, keeping it distinct with a short hash of the whole. */
export function shorten(id: string, max = MAX_ID): string {
  if (id.length <= max) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${id.slice(0, Math.max(0, max - 9))}_${hash}`;
}

/**
 * Airflow checks the FULL task id (`group.sub.task`) against 250 characters: a local id under a long
 * group prefix is shortened to fit. Groups shorten their own id once the prefix passes 120 characters.
 */
export function fitTaskId(id: string, prefix: string): string {
  return shorten(id, Math.max(16, MAX_ID - SUFFIX_ROOM - prefix.length));
}

/** A group id that leaves room under `prefix` (see {@link fitTaskId}). */
export function fitGroupId(id: string, prefix: string): string {
  return prefix.length + id.length > 120 ? shorten(id, 16) : id;
}

/** A dag_id / task_id from a job name. */
export function airflowId(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  return shorten(s === '' ? '_' : s);
}

/** A group_id from a box name (no dots). */
export function airflowGroupId(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return shorten(s === '' ? '_' : s);
}

/** Hands out unique names within one namespace (`x`, `x_2`, `x_3`, …). */
export class UniqueNames {
  private readonly used = new Set<string>();

  /** @param ignoreCase Treat `A` and `a` as the same name (file names). Default false. */
  constructor(private readonly ignoreCase = false) {}

  /** Reserves and returns a unique variant of `base`. */
  take(base: string): string {
    const key = (n: string): string => (this.ignoreCase ? n.toLowerCase() : n);
    let name = base;
    for (let k = 2; this.used.has(key(name)); k++) name = `${base}_${k}`;
    this.used.add(key(name));
    return name;
  }
}
