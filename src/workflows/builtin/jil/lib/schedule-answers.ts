import { asList, isOn } from './airflow/schedule.js';
import { findNamedJob, clauseWith } from './named-job.js';
import type { JilJob, JilParseResult } from './parse-schema.js';
import { listNames } from '../../overview-question.js';
import { plural } from '../../plural.js';
import { conditionWords } from './condition-words.js';

/**
 * "When does X run", "what's the schedule of X", "what runs at 20:00": answered from the jobs'
 * own date conditions (start_times, start_mins, days_of_week, run_calendar, exclude_calendar,
 * timezone). Pure.
 */

const SCHEDULE = /\b(?:schedules?|scheduled|when (?:does|do|will|is)|what time|start(?:ing)? times?|run times?|runs? at|starts? at|calendars?|cron|timezone)\b/i;
/** A time of day in the question: `20:00`, `8:30`. */
const TIME = /\b([01]?\d|2[0-3]):([0-5]\d)\b/;
/** Most scheduled jobs listed when the question names none. */
const MAX_LISTED = 20;

/** A day of the week in the question: `friday`, `on Mondays`, `weekends`, `weekdays`. */
const DAY = /\b(mon|tues|wednes|thurs|fri|satur|sun)days?\b|\b(weekends?|weekdays?)\b/gi;
/** Words that make a day in the question a question about what runs then. */
const RUNS = /\b(?:runs?|running|ran|scheduled|starts?)\b/i;
const DAY_CODES: Record<string, string[]> = {
  mon: ['mo'],
  tues: ['tu'],
  wednes: ['we'],
  thurs: ['th'],
  fri: ['fr'],
  satur: ['sa'],
  sun: ['su'],
  weekend: ['sa', 'su'],
  weekday: ['mo', 'tu', 'we', 'th', 'fr'],
};
const DAY_NAMES: Record<string, string> = { mo: 'Monday', tu: 'Tuesday', we: 'Wednesday', th: 'Thursday', fr: 'Friday', sa: 'Saturday', su: 'Sunday' };

/** The AutoSys day codes (`mo`, `fr`) of the days the question names, or null when it names none. */
function daysAsked(question: string): string[] | null {
  const codes = new Set<string>();
  for (const m of question.matchAll(DAY)) for (const c of DAY_CODES[(m[1] ?? m[2]!.replace(/s$/, '')).toLowerCase()] ?? []) codes.add(c);
  return codes.size ? [...codes] : null;
}

export function isScheduleQuestion(question: string): boolean {
  if (question.length > 500) return false;
  return SCHEDULE.test(question) || TIME.test(question) || (daysAsked(question) !== null && RUNS.test(question));
}

/** A job's own schedule in words (`at 01:30 on mo, tu (Europe/London)`), or null when it has none. */
export function scheduleOf(job: JilJob): string | null {
  const a = job.attributes;
  if (!isOn(a.date_conditions)) return null;
  const times = asList(a.start_times);
  const mins = asList(a.start_mins);
  const days = asList(a.days_of_week);
  const when = times.length ? `at ${times.join(', ')}` : mins.length ? `every hour at minute ${mins.join(', ')}` : 'at no set time';
  // every day when no day is named, `all`, or all seven are (`su,mo,tu,we,th,fr,sa`)
  const everyDay = days.length === 0 || days.some((d) => d.toLowerCase() === 'all') || new Set(days.map((d) => d.trim().toLowerCase().slice(0, 2))).size === 7;
  const on = a.run_calendar !== undefined ? ` on the days of calendar ${String(a.run_calendar)}` : everyDay ? ' every day' : ` on ${days.join(', ')}`;
  const except = a.exclude_calendar !== undefined ? `, except the days of calendar ${String(a.exclude_calendar)}` : '';
  const tz = typeof a.timezone === 'string' && a.timezone.trim() ? ` (${a.timezone.trim()})` : '';
  return `${when}${on}${except}${tz}`;
}

/** Why a job without a schedule of its own starts, in words: up through its boxes to one that has a schedule. */
function startsWhen(job: JilJob, byName: Map<string, JilJob>): string {
  const ignored = !isOn(job.attributes.date_conditions) && (job.attributes.start_times !== undefined || job.attributes.start_mins !== undefined);
  const note = ignored ? ' (it has start times, but date_conditions is off, so AutoSys ignores them)' : '';
  const box = job.box ? byName.get(job.box) : undefined;
  const boxSchedule = box ? scheduleOf(box) : null;
  const cond = job.condition ? `, once its condition ${job.condition.raw} is met` : '';
  if (job.box) {
    const own = `${job.name} has no schedule of its own${note}: it starts when its box ${job.box} runs${boxSchedule ? ` (${job.box} runs ${boxSchedule})` : ''}${cond}.`;
    return boxSchedule || !box ? own : `${own} ${boxStarts(box, byName)}`;
  }
  if (job.condition) return `${job.name} has no schedule of its own${note}: it starts when its condition ${job.condition.raw} is met (${conditionWords(job.condition.ast)})${refSchedules(job, byName)}.`;
  return `${job.name} has no schedule and no condition${note}: it runs only when started (sendevent or by hand).`;
}

/** The jobs whose own schedule runs on one of `days` (and those on a calendar, which may). */
function onDays(days: string[], scheduled: (readonly [JilJob, string])[], jobs: readonly JilJob[]): string {
  const named = days.length === 7 ? 'any day' : days.length === 5 && !days.includes('sa') && !days.includes('su') ? 'weekdays' : days.map((d) => DAY_NAMES[d]).join(' or ');
  const on: JilJob[] = [];
  const calendar: string[] = [];
  for (const [job] of scheduled) {
    const a = job.attributes;
    if (a.run_calendar !== undefined) {
      calendar.push(`${job.name} (calendar ${String(a.run_calendar)})`);
      continue;
    }
    const own = asList(a.days_of_week).map((d) => d.trim().toLowerCase());
    const every = own.length === 0 || own.includes('all');
    if (every || own.some((d) => days.includes(d.slice(0, 2)))) on.push(job);
  }
  const runs = (js: JilJob[]) => js.map((j) => `${j.name} runs ${scheduleOf(j)}`);
  const parts = [on.length ? `On ${named}: ${runs(on.slice(0, MAX_LISTED)).join('; ')}${on.length > MAX_LISTED ? `; and ${on.length - MAX_LISTED} more` : ''}.` : `No job in this file has a schedule of its own on ${named}.`];
  if (calendar.length) parts.push(`On a calendar, so on ${named} only if the calendar has it: ${listNames(calendar)}.`);
  const listed = on.slice(0, MAX_LISTED).filter((j) => j.type === 'BOX');
  const counts = listed.length ? insideCounts(jobs) : new Map<string, number>();
  const inside = listed.map((b) => [b.name, counts.get(b.name) ?? 0] as const).filter(([, n]) => n > 0);
  if (inside.length === 1) {
    const [box, n] = inside[0]!;
    parts.push(`The ${plural(n, 'job')} inside ${box} ${n === 1 ? 'runs' : 'run'} with it.`);
  } else if (inside.length) {
    parts.push(`The jobs inside run with their box: ${inside.map(([b, n]) => `${n} in ${b}`).join(', ')}.`);
  }
  return parts.join(' ');
}

/** How many jobs each box holds, nested boxes' jobs included (one pass over the jobs, then up each chain). */
function insideCounts(jobs: readonly JilJob[]): Map<string, number> {
  const parent = new Map(jobs.map((j) => [j.name, j.box]));
  const counts = new Map<string, number>();
  for (const j of jobs) {
    // every box above the job counts it once; a box loop (the parser cuts them) stops at the depth bound
    const seen = new Set<string>();
    for (let box = j.box; box !== null && box !== undefined && !seen.has(box) && seen.size < MAX_BOX_DEPTH; box = parent.get(box) ?? null) {
      seen.add(box);
      counts.set(box, (counts.get(box) ?? 0) + 1);
    }
  }
  return counts;
}

/** Most boxes followed up from a job (a deeper nesting is cut off; a cycle stops at once). */
const MAX_BOX_DEPTH = 10;

/** How an unscheduled box starts, then its own box, up to the first box with a schedule. */
function boxStarts(first: JilJob, byName: Map<string, JilJob>): string {
  const said: string[] = [];
  const seen = new Set<string>();
  for (let box: JilJob | undefined = first; box && !seen.has(box.name) && said.length < MAX_BOX_DEPTH; box = box.box ? byName.get(box.box) : undefined) {
    seen.add(box.name);
    const own = scheduleOf(box);
    if (own) {
      said.push(`${box.name} runs ${own}.`);
      break;
    }
    const cond = box.condition ? `once its condition ${box.condition.raw} is met (${conditionWords(box.condition.ast)})${refSchedules(box, byName)}` : '';
    if (box.box) said.push(`${box.name} has no schedule of its own either: it starts when its box ${box.box} runs${cond ? `, ${cond}` : ''}.`);
    else if (cond) said.push(`${box.name} has no schedule of its own either: it starts ${cond}.`);
    else said.push(`${box.name} has no schedule and no condition either: it runs only when started (sendevent or by hand).`);
  }
  return said.join(' ');
}

/** The schedules of the jobs a condition waits on, when they have one: `; FIN_GL_CLOSE_BOX runs at 18:00 …`. */
function refSchedules(job: JilJob, byName: Map<string, JilJob>): string {
  const refs = [...new Set(job.dependsOn.filter((d) => d.instance === undefined).map((d) => d.job))];
  const said = refs.flatMap((name) => {
    const ref = byName.get(name);
    const own = ref ? scheduleOf(ref) : null;
    return own ? [`${name} runs ${own}`] : [];
  });
  return said.length ? `; ${said.slice(0, 3).join('; ')}` : '';
}

/** The schedule a question asks about: of the job it names, of the jobs at the time it names, or of every scheduled job. */
export function describeSchedule(question: string, parsed: JilParseResult): string {
  const byName = new Map(parsed.jobs.map((j) => [j.name, j]));
  // of several questions in one message, the job of the one about a schedule
  const named = findNamedJob(clauseWith(question, SCHEDULE), byName.keys());
  if (named) {
    const job = byName.get(named.job)!;
    const own = scheduleOf(job);
    return own ? `${job.name} runs ${own}.` : startsWhen(job, byName);
  }
  const scheduled = parsed.jobs.map((j) => [j, scheduleOf(j)] as const).filter((x): x is readonly [JilJob, string] => x[1] !== null);
  const time = TIME.exec(question);
  if (time) {
    const hhmm = `${time[1]!.padStart(2, '0')}:${time[2]}`;
    const at = scheduled.filter(([j]) => asList(j.attributes.start_times).some((t) => t.trim().padStart(5, '0') === hhmm)).map(([j]) => j.name);
    return at.length ? `Starting at ${hhmm}: ${listNames(at)}.` : `No job in this file has a start time of ${hhmm}.`;
  }
  const days = daysAsked(question);
  if (days) return onDays(days, scheduled, parsed.jobs);
  if (scheduled.length === 0) return 'No job in this file has a schedule of its own (date_conditions): every job starts from its box, a condition or by hand.';
  const shown = scheduled.slice(0, MAX_LISTED).map(([j, s]) => `${j.name} runs ${s}`);
  const more = scheduled.length - shown.length;
  return `${plural(scheduled.length, 'job')} ${scheduled.length === 1 ? 'has' : 'have'} a schedule of ${scheduled.length === 1 ? 'its' : 'their'} own: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
}
