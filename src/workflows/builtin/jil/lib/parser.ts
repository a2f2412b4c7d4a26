import { classifySubcommand, type SubcommandInfo } from './attributes.js';
import { typeAttributes } from './attribute-typing.js';
import { JilConditionError } from './condition-error.js';
import { conditionDependencies, parseCondition } from './condition-parser.js';
import type { JilCondition } from './condition-schema.js';
import { normalizeJobType } from './job-types.js';
import { lexJilInto } from './lexer.js';
import type {
  JilAttributes,
  JilDeletion,
  JilError,
  JilJob,
  JilObject,
  JilOverride,
  JilParseOptions,
  JilParseResult,
  JilWarning,
} from './parse-schema.js';

/**
 * parseJil: applies the statements of a JIL text in order, the way `jil < file` would.
 *
 * - insert_job creates a job (a second insert_job of a name replaces the first, with a warning);
 * - update_job merges its attributes into the job (an empty value clears the attribute); updating a job
 *   the file never inserts yields a `partial` job built from the given attributes, with a warning;
 * - override_job goes to `overrides` (next run only), the job itself is unchanged;
 * - delete_job removes one job (jobs inside a deleted box become standalone, as in AutoSys);
 *   delete_box removes the box and every job nested in it at that point of the file;
 * - insert_/update_/delete_ on any other object (machine, resource, xinst, …) → `objects`;
 * - an unknown subcommand (e.g. `override_machine`, `create_job`) → a warning; its attributes are skipped.
 * Conditions are parsed once at the end; a bad one becomes an entry in `errors` and parsing goes on.
 */

interface Statement {
  info: SubcommandInfo;
  name: string;
  line: number;
}

interface JobState {
  name: string;
  attributes: JilAttributes;
  line: number;
  updates: number[];
  partial: boolean;
  conditionLine: number;
  /** The finished job (set while finalising). */
  final: JilJob | null;
  /** The state of the job's box (set while finalising). */
  parent: JobState | null;
  /** Walk colour of the box_name cycle check: 0 unseen, 1 on the current walk, 2 done. */
  colour: number;
}

const DEFAULT_MAX_WARNINGS = 10_000;

function setAttr(attrs: JilAttributes, key: string, value: JilAttributes[string]): void {
  if (key === '__proto__') Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
  else attrs[key] = value;
}

function stringAttr(attrs: JilAttributes, key: string): string | undefined {
  const v = attrs[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    const last = v[v.length - 1];
    return last === undefined ? undefined : String(last);
  }
  return String(v);
}

/** Parses a JIL text. Never throws on bad input: problems become `warnings` and `errors`. */
export function parseJil(text: string, opts: JilParseOptions = {}): JilParseResult {
  const maxWarnings = opts.maxWarnings ?? DEFAULT_MAX_WARNINGS;
  const warnings: JilWarning[] = [];
  let droppedWarnings = 0;
  let warningCount = 0;
  const warn = (line: number, message: string): void => {
    warningCount++;
    if (warnings.length < maxWarnings) warnings.push({ line, message });
    else droppedWarnings++;
  };
  const errors: JilError[] = [];
  const jobs = new Map<string, JobState>();
  const objects: JilObject[] = [];
  const overridesRaw: { job: string; attributes: JilAttributes; line: number; conditionLine: number }[] = [];
  const deleted: JilDeletion[] = [];
  let statements = 0;
  let current: Statement | undefined;
  let orphanLine = -1;
  // The pairs of the current statement, reused from one statement to the next.
  const stKeys: string[] = [];
  const stValues: string[] = [];
  const stLines: number[] = [];
  let stCount = 0;
  let typingName = '';
  const typingWarn = (line: number, message: string): void => warn(line, `${typingName}: ${message}`);
  const typed = (st: Statement): JilAttributes => {
    typingName = st.name;
    return typeAttributes(stKeys, stValues, stLines, stCount, typingWarn);
  };
  /** Line of the last `condition` pair of the current statement, or -1. */
  const conditionLineOf = (): number => {
    for (let k = stCount - 1; k >= 0; k--) if (stKeys[k] === 'condition') return stLines[k] as number;
    return -1;
  };

  const removeJob = (name: string): void => {
    jobs.delete(name);
  };

  const apply = (st: Statement): void => {
    statements++;
    const { info, name, line } = st;
    if (name === '') {
      errors.push({ line, kind: 'statement', message: `${info.subcommand} without a name; statement skipped` });
      return;
    }
    if (/\s/.test(name)) warn(line, `${info.subcommand}: name ${JSON.stringify(name)} contains whitespace`);
    if (info.type === 'unknown') return;
    if (info.type === 'object') {
      objects.push({ kind: info.kind, subcommand: info.subcommand, name, attributes: typed(st), line });
      return;
    }
    const condLine = conditionLineOf();
    const conditionLine = condLine < 0 ? line : condLine;
    switch (info.subcommand) {
      case 'insert_job': {
        const prev = jobs.get(name);
        if (prev) {
          warn(line, `insert_job: ${name} is inserted again (first at line ${prev.line}); the new definition replaces it`);
          removeJob(name);
        }
        jobs.set(name, { name, attributes: typed(st), line, updates: [], partial: false, conditionLine, final: null, parent: null, colour: 0 });
        return;
      }
      case 'update_job': {
        const attrs = typed(st);
        const job = jobs.get(name);
        if (!job) {
          warn(line, `update_job: ${name} is not inserted in this file; the job is built from the updated attributes only`);
          for (const k of Object.keys(attrs)) if (attrs[k] === '') delete attrs[k];
          jobs.set(name, { name, attributes: attrs, line, updates: [line], partial: true, conditionLine, final: null, parent: null, colour: 0 });
          return;
        }
        for (const k of Object.keys(attrs)) {
          const v = attrs[k];
          if (v === '') delete job.attributes[k];
          else if (v !== undefined) setAttr(job.attributes, k, v);
        }
        if (condLine >= 0) job.conditionLine = condLine;
        job.updates.push(line);
        return;
      }
      case 'override_job':
        overridesRaw.push({ job: name, attributes: typed(st), line, conditionLine });
        return;
      case 'delete_job':
      case 'delete_box': {
        if (stCount > 0) warn(line, `${info.subcommand}: ${name}: attributes after a delete are ignored`);
        const job = jobs.get(name);
        if (!job) {
          warn(line, `${info.subcommand}: ${name} is not defined at this point of the file`);
          deleted.push({ name, subcommand: info.subcommand, removed: [], existed: false, line });
          return;
        }
        const isBox = normalizeJobType(stringAttr(job.attributes, 'job_type')) === 'BOX';
        const children = new Map<string, string[]>();
        if (isBox) {
          for (const j of jobs.values()) {
            const parent = stringAttr(j.attributes, 'box_name');
            if (parent !== undefined && parent !== j.name) {
              const list = children.get(parent);
              if (list) list.push(j.name);
              else children.set(parent, [j.name]);
            }
          }
        }
        const removed = [name];
        if (info.subcommand === 'delete_box') {
          if (!isBox) warn(line, `delete_box: ${name} is not a box; only the job itself was removed`);
          const seen = new Set([name]);
          for (let k = 0; k < removed.length; k++) {
            for (const c of children.get(removed[k] ?? '') ?? []) {
              if (!seen.has(c)) {
                seen.add(c);
                removed.push(c);
              }
            }
          }
        } else if (isBox) {
          const kids = children.get(name) ?? [];
          for (const c of kids) {
            const cj = jobs.get(c);
            if (cj) delete cj.attributes.box_name;
          }
          if (kids.length > 0) {
            warn(line, `delete_job: box ${name} deleted; its ${kids.length} job(s) stay as standalone jobs (use delete_box to remove them)`);
          }
        }
        for (const r of removed) removeJob(r);
        deleted.push({ name, subcommand: info.subcommand, removed, existed: true, line });
        return;
      }
    }
  };

  const lines = lexJilInto(text, {
    warning: warn,
    token(key, value, line) {
      const info = classifySubcommand(key);
      if (info) {
        if (current) apply(current);
        current = { info, name: value, line };
        stCount = 0;
        if (info.type === 'unknown') {
          warn(line, `unknown subcommand ${JSON.stringify(key)} (${value}); the statement is skipped`);
        }
        return;
      }
      if (!current) {
        if (orphanLine < 0) {
          orphanLine = line;
          warn(line, `attribute ${JSON.stringify(key)} before any insert_job/update_job; ignored until the first subcommand`);
        }
        return;
      }
      if (current.info.type === 'unknown') return;
      stKeys[stCount] = key;
      stValues[stCount] = value;
      stLines[stCount] = line;
      stCount++;
    },
  });
  if (current) apply(current);

  // Finalise jobs: type, box, condition.
  const out: JilJob[] = [];
  const jobsByType: Record<string, number> = {};
  let boxes = 0;
  let conditions = 0;
  let dependencies = 0;
  for (const j of jobs.values()) {
    const type = normalizeJobType(stringAttr(j.attributes, 'job_type'));
    jobsByType[type] = (jobsByType[type] ?? 0) + 1;
    if (type === 'BOX') boxes++;
    let box = stringAttr(j.attributes, 'box_name') ?? null;
    if (box === '') box = null;
    const raw = stringAttr(j.attributes, 'condition');
    if (Array.isArray(j.attributes.condition)) {
      warn(j.conditionLine, `${j.name}: several condition attributes; the last one is used`);
    }
    let condition: JilCondition | null = null;
    let dependsOn: JilJob['dependsOn'] | undefined;
    let variables: JilJob['variables'] | undefined;
    if (raw !== undefined && raw.trim() !== '') {
      condition = parseConditionSafe(raw, j.name, j.conditionLine, errors);
      if (condition) {
        conditions++;
        const deps = conditionDependencies(condition.ast);
        dependsOn = deps.dependsOn;
        variables = deps.variables;
        dependencies += dependsOn.length;
      }
    }
    const job: JilJob = {
      name: j.name,
      type,
      box,
      attributes: j.attributes,
      condition,
      dependsOn: dependsOn ?? [],
      variables: variables ?? [],
      line: j.line,
      updates: j.updates,
      partial: j.partial,
    };
    out.push(job);
    j.final = job;
  }
  checkBoxes(jobs, warn);
  checkCommands(jobs, warn);

  const overrides: JilOverride[] = overridesRaw.map((o) => {
    const raw = stringAttr(o.attributes, 'condition');
    const condition = raw !== undefined && raw.trim() !== '' ? parseConditionSafe(raw, o.job, o.conditionLine, errors) : null;
    return { job: o.job, attributes: o.attributes, condition, nextRunOnly: true as const, line: o.line };
  });

  if (droppedWarnings > 0) warnings.push({ line: 0, message: `${droppedWarnings} more warning(s) not listed` });
  return {
    jobs: out,
    objects,
    overrides,
    deleted,
    warnings,
    errors,
    stats: {
      lines,
      chars: text.length,
      statements,
      jobs: out.length,
      boxes,
      conditions,
      dependencies,
      objects: objects.length,
      overrides: overrides.length,
      deleted: deleted.length,
      warnings: warningCount,
      errors: errors.length,
      jobsByType,
    },
  };
}

function parseConditionSafe(raw: string, job: string, line: number, errors: JilError[]): JilCondition | null {
  try {
    return { raw, ast: parseCondition(raw) };
  } catch (e) {
    if (!(e instanceof JilConditionError)) throw e;
    errors.push({ line, kind: 'condition', job, message: `${job}: ${e.message}`, position: e.position });
    return null;
  }
}

/** Warns about command jobs without a command (a misspelt `command:` leaves one so). */
function checkCommands(states: Map<string, JobState>, warn: (line: number, message: string) => void): void {
  for (const state of states.values()) {
    const job = state.final;
    if (!job || state.partial || job.type !== 'CMD') continue;
    const command = job.attributes['command'];
    if (command === undefined || (typeof command === 'string' && command.trim() === '')) warn(job.line, `${job.name}: a command job without a command`);
  }
}

/** Warns about box_name references to missing or non-box jobs, and breaks box_name cycles. */
function checkBoxes(states: Map<string, JobState>, warn: (line: number, message: string) => void): void {
  for (const state of states.values()) {
    const job = state.final;
    if (!job || job.box === null) continue;
    const parent = states.get(job.box) ?? null;
    state.parent = parent;
    if (!parent?.final) warn(job.line, `${job.name}: box_name ${job.box} is not defined in this file`);
    else if (parent.final.type !== 'BOX') warn(job.line, `${job.name}: box_name ${job.box} is a ${parent.final.type} job, not a BOX`);
  }
  // Cycle check: walk each chain of box_name links once.
  const path: JobState[] = [];
  for (const start of states.values()) {
    if (start.parent === null || start.colour !== 0) continue;
    path.length = 0;
    let cur: JobState | null = start;
    while (cur !== null && cur.colour === 0) {
      cur.colour = 1;
      path.push(cur);
      cur = cur.parent;
    }
    if (cur !== null && cur.colour === 1) {
      const names = path.slice(path.indexOf(cur)).map((p) => p.name);
      const last = path[path.length - 1];
      warn(cur.line, `box_name cycle ${[...names, cur.name].join(' → ')}; ${last?.name ?? ''} is treated as a top-level job`);
      if (last?.final) last.final.box = null;
    }
    for (const p of path) p.colour = 2;
  }
}
