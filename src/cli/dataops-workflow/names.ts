import { ValidationError } from '../../errors/validation-error.js';

/** Area given to a name typed without one: `demo_thing` becomes `custom.demo_thing`. */
export const DEFAULT_AREA = 'custom';

/** Longest accepted workflow name (it becomes part of job ids and file names). */
export const MAX_NAME_LENGTH = 64;

/** Areas that belong to something else, with the reason shown to the user. */
export const RESERVED_AREAS: Readonly<Record<string, string>> = {
  test: 'the test suite registers its own test.* workflows',
  engine: 'engine.* is kept for the engine itself',
};

/** Actions that would clash with module files, with the reason shown to the user. */
export const RESERVED_ACTIONS: Readonly<Record<string, string>> = {
  index: 'an action named index would be confused with the area\'s index module',
};

const SEGMENT = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** How a workflow name maps to identifiers and files. All paths are relative to the repo root, with `/`. */
export interface WorkflowNaming {
  /** The registered name, `area.action`. */
  name: string;
  area: string;
  action: string;
  /** Exported const of the workflow, e.g. `customDemoThingWorkflow`. */
  identifier: string;
  /** PascalCase of the action, for type and schema names, e.g. `DemoThing`. */
  pascal: string;
  /** Human title, e.g. `Demo thing`. */
  title: string;
  /** `src/workflows/custom/<area>/<action>.ts` */
  workflowFile: string;
  /** `test/unit/workflows/<name>.test.ts` */
  testFile: string;
  /** `docs/workflows/<name>.md` */
  docsFile: string;
}

/** The index module the CLI maintains. */
export const CUSTOM_INDEX_FILE = 'src/workflows/custom/index.ts';

/**
 * Maps what the user typed to a workflow name. Rules (also in `new --help`):
 * - `action` alone (e.g. `demo_thing`) becomes `custom.action`; `area.action` is taken as is;
 * - each part starts with a lowercase letter and is lowercase words of letters and digits joined
 *   by single underscores (`demo_thing`, `csv2`; not `Demo`, `demo-thing`, `demo__thing`, `demo_`);
 * - at most one dot; at most 64 characters; areas `test`, `engine` and the action `index` are reserved.
 * Throws ValidationError (a usage error) with a hint when a fix is obvious.
 */
export function parseWorkflowName(input: string): WorkflowNaming {
  const raw = input.trim();
  if (raw === '') throw new ValidationError('a workflow name is required, e.g. demo_thing or area.action');
  if (raw.length > MAX_NAME_LENGTH) {
    throw new ValidationError(`workflow name "${raw}" is ${raw.length} characters; the limit is ${MAX_NAME_LENGTH}`);
  }
  const parts = raw.split('.');
  if (parts.length > 2) {
    throw new ValidationError(`workflow name "${raw}" has ${parts.length - 1} dots; use area.action (one dot) or just action`);
  }
  for (const part of parts) {
    if (!SEGMENT.test(part)) {
      const fixed = suggest(raw);
      const hint = fixed && fixed !== raw ? `; did you mean "${fixed}"?` : '';
      throw new ValidationError(
        `invalid workflow name "${raw}": each part must be lowercase letters and digits in words joined by single underscores, starting with a letter${hint}`,
      );
    }
  }
  const [area, action] = parts.length === 2 ? [parts[0]!, parts[1]!] : [DEFAULT_AREA, parts[0]!];
  const name = `${area}.${action}`;
  if (name.length > MAX_NAME_LENGTH) {
    throw new ValidationError(`workflow name "${name}" is ${name.length} characters; the limit is ${MAX_NAME_LENGTH}`);
  }
  const areaReason = RESERVED_AREAS[area];
  if (areaReason) throw new ValidationError(`workflow name "${name}" uses the reserved area "${area}": ${areaReason}`);
  const actionReason = RESERVED_ACTIONS[action];
  if (actionReason) throw new ValidationError(`workflow name "${name}" uses the reserved action "${action}": ${actionReason}`);
  const words = (s: string) => s.split('_');
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const actionWords = words(action);
  const all = [...words(area), ...actionWords];
  return {
    name,
    area,
    action,
    identifier: `${all[0]!}${all.slice(1).map(cap).join('')}Workflow`,
    pascal: actionWords.map(cap).join(''),
    title: cap(actionWords.join(' ')),
    workflowFile: `src/workflows/custom/${area}/${action}.ts`,
    testFile: `test/unit/workflows/${name}.test.ts`,
    docsFile: `docs/workflows/${name}.md`,
  };
}

/** A likely intended name: lowercased, separators turned into single underscores. Undefined if still invalid. */
function suggest(raw: string): string | undefined {
  const parts = raw
    .toLowerCase()
    .split('.')
    .map((p) => p.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, ''));
  return parts.length <= 2 && parts.every((p) => SEGMENT.test(p)) ? parts.join('.') : undefined;
}
