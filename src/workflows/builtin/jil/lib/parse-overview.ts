import { plural } from '../../plural.js';
import { listNames } from '../../overview-question.js';
import type { JilParseResult } from './parse-schema.js';

/**
 * What a parsed JIL holds, in plain words: its jobs by type, each box with the jobs inside it, the
 * standalone jobs, and the other statements (machines, overrides, deletions) and problems it has.
 */
export function describeParsedJil(parsed: JilParseResult): string {
  const { jobs, stats } = parsed;
  if (jobs.length === 0) return `This file defines no jobs (${plural(stats.statements, 'statement')}, ${plural(stats.objects, 'other object')}).`;
  const byType = Object.entries(stats.jobsByType)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, n]) => `${n} ${type}`);
  const parts = [`This file defines ${plural(jobs.length, 'job')} (${byType.join(', ')}).`];
  const boxes = jobs.filter((j) => j.type === 'BOX');
  const inBox = new Map<string, string[]>();
  for (const j of jobs) if (j.box) inBox.set(j.box, [...(inBox.get(j.box) ?? []), j.name]);
  if (boxes.length) {
    const shown = boxes.slice(0, 20).map((b) => `${b.name} (${inBox.get(b.name)?.length ? listNames(inBox.get(b.name)!) : 'empty'})`);
    parts.push(`Boxes: ${shown.join('; ')}${boxes.length > shown.length ? `; and ${boxes.length - shown.length} more` : ''}.`);
  }
  const standalone = jobs.filter((j) => !j.box && j.type !== 'BOX').map((j) => j.name);
  if (standalone.length) parts.push(`Not in a box: ${listNames(standalone)}.`);
  if (stats.dependencies) parts.push(`${plural(stats.dependencies, 'dependency', 'dependencies')} in ${plural(stats.conditions, 'condition')}.`);
  const other = [
    stats.objects ? plural(stats.objects, 'other object') : '',
    stats.overrides ? plural(stats.overrides, 'override') : '',
    stats.deleted ? plural(stats.deleted, 'deletion') : '',
  ].filter(Boolean);
  if (other.length) parts.push(`Also: ${other.join(', ')}.`);
  if (stats.warnings || stats.errors) parts.push(`Parsing found ${plural(stats.warnings, 'warning')} and ${plural(stats.errors, 'error')} (see the parsed JSON).`);
  return parts.join(' ');
}

/** Most parse problems quoted in one answer. */
const MAX_QUOTED = 5;

/** The warnings and errors parsing found, in words, each with its line (the first few; the parsed JSON has them all). */
export function describeParseProblems(parsed: JilParseResult): string {
  const { warnings, errors } = parsed;
  if (warnings.length === 0 && errors.length === 0) return 'Parsing found no errors and no warnings: every statement and condition was read.';
  // errors first: they lose statements or conditions, warnings only flag them
  const quoted = [...errors, ...warnings]
    .slice(0, MAX_QUOTED)
    .map((p) => `line ${p.line}: ${p.message}`);
  const more = errors.length + warnings.length - quoted.length;
  return `Parsing found ${plural(errors.length, 'error')} and ${plural(warnings.length, 'warning')}: ${quoted.join('; ')}${more > 0 ? `; and ${more} more in the parsed JSON` : ''}.`;
}
