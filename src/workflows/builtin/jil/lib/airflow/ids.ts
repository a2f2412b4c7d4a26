import { createHash } from 'node:crypto';

/**
 * Airflow ids: dag_id and task_id allow `[A-Za-z0-9_.-]` (at most 250 characters); a TaskGroup's
 * group_id also avoids `.`, which Airflow uses to join group and task ids.
 */
const MAX_ID = 250;

function shorten(id: string): string {
  if (id.length <= MAX_ID) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${id.slice(0, MAX_ID - 9)}_${hash}`;
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
