import type { JilJob } from './parse-schema.js';
import { scheduleOf } from './schedule-answers.js';

/**
 * "What does X do", "tell me about X", "describe X": one job in plain words, from its parsed
 * attributes: its type and box, what it runs or watches and where, its owner, schedule and
 * condition, and its description. Pure.
 */

/** Asks about one job as a whole (with a job named in the question). */
const ABOUT = /\bwhat (?:does|do|did|is)\b|\btell me (?:about|more)\b|\bdescribe\b|\bdetails?\b|\bshow me\b|\bexplain\b|\binfo(?:rmation)?\b|\bcommand\b|\bmachine\b|\bowner\b/i;

export function isJobQuestion(question: string): boolean {
  return question.length <= 500 && ABOUT.test(question);
}

/** A scalar attribute as text, or null when absent or empty. */
function text(job: JilJob, name: string): string | null {
  const v = job.attributes[name];
  if (v === undefined || v === null) return null;
  const s = Array.isArray(v) ? v.join(', ') : String(v);
  return s.trim() === '' ? null : s.trim();
}

/** What a job type is called in a sentence (`FW` → `file watcher`). */
const KIND: Record<string, string> = { CMD: 'command job', BOX: 'box', FW: 'file watcher', FT: 'file trigger', SQL: 'SQL job', DBP: 'database procedure job', FTP: 'FTP job', SCP: 'file transfer job' };

/** One job in a few sentences. */
export function describeJob(job: JilJob): string {
  const where = job.box ? ` in box ${job.box}` : '';
  const parts = [`${job.name} is a ${KIND[job.type] ?? `${job.type} job`}${where}.`];
  const machine = text(job, 'machine');
  const on = machine ? ` on ${machine}` : '';
  const command = text(job, 'command');
  const watch = text(job, 'watch_file');
  // inline code: a command holding a backtick is fenced with two
  if (command) parts.push(`It runs ${command.includes('`') ? `\`\` ${command} \`\`` : `\`${command}\``}${on}.`);
  else if (watch) parts.push(`It watches for ${watch}${on}.`);
  else if (machine) parts.push(`It runs on ${machine}.`);
  const owner = text(job, 'owner');
  if (owner) parts.push(`Owner: ${owner}.`);
  const schedule = scheduleOf(job);
  if (schedule) parts.push(`It runs ${schedule}.`);
  if (job.condition) parts.push(`It waits for ${job.condition.raw}.`);
  const retries = text(job, 'n_retrys');
  if (retries && retries !== '0') parts.push(`AutoSys retries it up to ${retries} ${retries === '1' ? 'time' : 'times'}.`);
  const description = text(job, 'description');
  if (description) parts.push(`Description: ${description}.`.replace(/\.\.$/, '.'));
  return parts.join(' ');
}
