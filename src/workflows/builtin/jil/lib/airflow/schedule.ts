import type { JilAttributes } from '../parse-schema.js';

/**
 * AutoSys calendar attributes → a cron `schedule`.
 *
 * - Only with `date_conditions: 1`; otherwise the DAG has `schedule=None` (it runs when triggered).
 * - `start_times` → `M H * * D`; several times with one minute → an hour list (`0 6,18 * * *`); times
 *   that form a full hours × minutes grid → both lists; any other set → the first minute's hours and a TODO.
 * - `start_mins` → `M1,M2 * * * D` (hourly).
 * - `days_of_week` → the day-of-week field (`su`=0 … `sa`=6, `all` → `*`, ranges like `mo-fr`).
 * - `run_calendar`, `exclude_calendar`, `run_window`, unreadable values → TODOs (the schedule keeps what
 *   it can express).
 */
export interface ScheduleResult {
  /** Cron expression, or null for `schedule=None`. */
  cron: string | null;
  /** `timezone` attribute (for the DAG's start_date), or null. */
  timezone: string | null;
  /** Things the cron cannot express. */
  todos: string[];
}

const DAY_NUMBERS: Record<string, number> = {
  su: 0,
  sun: 0,
  sunday: 0,
  mo: 1,
  mon: 1,
  monday: 1,
  tu: 2,
  tue: 2,
  tuesday: 2,
  we: 3,
  wed: 3,
  wednesday: 3,
  th: 4,
  thu: 4,
  thursday: 4,
  fr: 5,
  fri: 5,
  friday: 5,
  sa: 6,
  sat: 6,
  saturday: 6,
};

/** A list attribute (`start_times: "10:00, 14:00"`, typed or raw) as its items. */
export function asList(v: JilAttributes[string] | undefined): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return String(v).split(',').map((x) => x.trim()).filter(Boolean);
  const out: string[] = [];
  for (const x of v) {
    if (Array.isArray(x)) out.push(...x.map(String));
    else out.push(String(x));
  }
  return out;
}

/** A flag attribute (`date_conditions: 1`, `y`, `true`) that is on. */
export function isOn(v: JilAttributes[string] | undefined): boolean {
  if (v === true || v === 1) return true;
  if (typeof v === 'string') return ['1', 'y', 'yes', 'true'].includes(v.trim().toLowerCase());
  return false;
}

function dayField(days: string[], todos: string[]): string {
  if (days.length === 0) return '*';
  const nums = new Set<number>();
  for (const raw of days) {
    const d = raw.trim().toLowerCase();
    if (d === 'all') return '*';
    const range = /^([a-z]+)\s*-\s*([a-z]+)$/.exec(d);
    if (range) {
      const a = DAY_NUMBERS[range[1] ?? ''];
      const b = DAY_NUMBERS[range[2] ?? ''];
      if (a !== undefined && b !== undefined) {
        for (let k = a; ; k = (k + 1) % 7) {
          nums.add(k);
          if (k === b) break;
        }
        continue;
      }
    }
    const n = DAY_NUMBERS[d];
    if (n === undefined) todos.push(`days_of_week value ${JSON.stringify(raw)} not understood; the schedule ignores it`);
    else nums.add(n);
  }
  if (nums.size === 0 || nums.size === 7) return '*';
  return [...nums].sort((a, b) => a - b).join(',');
}

/** The cron schedule of a job or box from its attributes. */
export function scheduleFor(attrs: JilAttributes): ScheduleResult {
  const todos: string[] = [];
  const timezone = typeof attrs.timezone === 'string' && attrs.timezone.trim() !== '' ? attrs.timezone.trim() : null;
  const startTimes = asList(attrs.start_times);
  const startMins = asList(attrs.start_mins);
  if (!isOn(attrs.date_conditions)) {
    if (startTimes.length > 0 || startMins.length > 0 || attrs.days_of_week !== undefined) {
      todos.push('start_times/start_mins/days_of_week are set but date_conditions is off, so AutoSys ignores them; schedule=None');
    }
    return { cron: null, timezone, todos };
  }
  if (attrs.run_calendar !== undefined) {
    todos.push(`run_calendar ${JSON.stringify(String(attrs.run_calendar))}: the days come from an AutoSys calendar; replace the day field or use a timetable`);
  }
  if (attrs.exclude_calendar !== undefined) {
    todos.push(`exclude_calendar ${JSON.stringify(String(attrs.exclude_calendar))}: skip those days (e.g. a ShortCircuitOperator or a custom timetable)`);
  }
  if (attrs.run_window !== undefined) {
    todos.push(`run_window ${JSON.stringify(asList(attrs.run_window).join('-'))} is not enforced`);
  }
  const dow = dayField(asList(attrs.days_of_week), todos);

  if (startTimes.length > 0) {
    const pairs: [number, number][] = [];
    for (const t of startTimes) {
      const m = /^(\d{1,2})[:.](\d{2})$/.exec(t.trim());
      const h = m ? Number(m[1]) : NaN;
      const mi = m ? Number(m[2]) : NaN;
      if (!m || h > 23 || mi > 59) todos.push(`start_times value ${JSON.stringify(t)} not understood`);
      else pairs.push([h, mi]);
    }
    if (pairs.length === 0) return { cron: null, timezone, todos };
    const hours = [...new Set(pairs.map((p) => p[0]))].sort((a, b) => a - b);
    const minutes = [...new Set(pairs.map((p) => p[1]))].sort((a, b) => a - b);
    const distinct = new Set(pairs.map((p) => p[0] * 60 + p[1])).size;
    if (distinct === hours.length * minutes.length) {
      return { cron: `${minutes.join(',')} ${hours.join(',')} * * ${dow}`, timezone, todos };
    }
    const first = pairs[0] as [number, number];
    const sameMinute = pairs.filter((p) => p[1] === first[1]).map((p) => p[0]);
    todos.push(
      `start_times ${startTimes.join(', ')} do not fit one cron expression; only the times at minute ${first[1]} are scheduled (use a MultipleCronTriggerTimetable or several DAGs)`,
    );
    return { cron: `${first[1]} ${[...new Set(sameMinute)].sort((a, b) => a - b).join(',')} * * ${dow}`, timezone, todos };
  }
  if (startMins.length > 0) {
    const mins = startMins.map(Number).filter((m) => Number.isInteger(m) && m >= 0 && m <= 59);
    if (mins.length !== startMins.length) todos.push(`start_mins ${startMins.join(', ')} partly not understood`);
    if (mins.length > 0) return { cron: `${[...new Set(mins)].sort((a, b) => a - b).join(',')} * * * ${dow}`, timezone, todos };
  }
  todos.push('date_conditions is on without start_times or start_mins; scheduled at 00:00 — check the intended start');
  return { cron: `0 0 * * ${dow}`, timezone, todos };
}
