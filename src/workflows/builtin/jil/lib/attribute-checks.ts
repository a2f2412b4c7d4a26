import { editDistance } from '../../../../text/edit-distance.js';
import { knownAttributeNames } from './attributes.js';

/** A time of day as AutoSys writes it (`6:30`, `18:00`), or a must-start offset (`+30`). */
const TIME = /^(?:[01]?\d|2[0-3]):[0-5]\d$/;
const OFFSET = /^\+\d+$/;
const DAYS = new Set(['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su', 'all']);

/** Why one item of a list attribute is not a value AutoSys takes, or null when it is. */
type ItemCheck = (item: string) => string | null;

const time: ItemCheck = (i) => (TIME.test(i) ? null : `${JSON.stringify(i)} is not a time of day (HH:MM, 00:00 to 23:59)`);
const CHECKS: Record<string, ItemCheck> = {
  start_times: time,
  must_start_times: (i) => (OFFSET.test(i) ? null : time(i)),
  must_complete_times: (i) => (OFFSET.test(i) ? null : time(i)),
  days_of_week: (i) => (DAYS.has(i.toLowerCase()) ? null : `${JSON.stringify(i)} is not a day (mo, tu, we, th, fr, sa, su or all)`),
};

/** Problems with the items of a list attribute (`start_times: "25:99"`, `days_of_week: mo,xx`), one sentence each. */
export function listItemProblems(name: string, items: readonly string[]): string[] {
  const check = CHECKS[name];
  if (!check) return [];
  const out: string[] = [];
  for (const i of items) {
    const p = check(i);
    if (p) out.push(`${name}: ${p}`);
  }
  return out;
}

const nearCache = new Map<string, string | null>();

/**
 * The known attribute an unknown one is most likely a typo of (`comand` → `command`): within two
 * edits, for names of five letters or more. Null for anything else: AutoSys agents add attributes
 * of their own, which stay as written without a warning.
 */
export function misspeltAttribute(name: string): string | null {
  if (name.length < 5) return null;
  let hit = nearCache.get(name);
  if (hit === undefined) {
    hit = null;
    for (const known of knownAttributeNames()) {
      const max = known.length >= 8 ? 2 : 1;
      if (editDistance(name, known, max) <= max) {
        hit = known;
        break;
      }
    }
    if (nearCache.size < 1000) nearCache.set(name, hit);
  }
  return hit;
}
