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

export function isScheduleQuestion(question: string): boolean {
  return question.length <= 500 && (SCHEDULE.test(question) || TIME.test(question));
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

/** The schedules of the jobs a condition waits on, when they have one: ` (FIN_GL_CLOSE_BOX runs at 18:00 …)`. */
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
  if (scheduled.length === 0) return 'No job in this file has a schedule of its own (date_conditions): every job starts from its box, a condition or by hand.';
  const shown = scheduled.slice(0, MAX_LISTED).map(([j, s]) => `${j.name} runs ${s}`);
  const more = scheduled.length - shown.length;
  return `${plural(scheduled.length, 'job')} ${scheduled.length === 1 ? 'has' : 'have'} a schedule of ${scheduled.length === 1 ? 'its' : 'their'} own: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
}
