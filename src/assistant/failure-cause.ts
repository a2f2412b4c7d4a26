import type { WorkflowRegistry } from '../workflows/registry.js';

/** A failed run, told in the user's terms. */
export interface FailureReport {
  /** Workflow of the step that failed (`jil.to_airflow`). */
  workflow: string;
  /** What that workflow does, in a few words (from its description). */
  about: string;
  /** Why, without error class names, job ids, Redis keys or stack frames. */
  cause: string;
  /** What the user can do about it. */
  next: string;
  /** Workflows of the run that did finish, in order. */
  completed: string[];
}

export interface FailureInput {
  /** Plan step id that failed (`<instance>.<node>`), when known. */
  step: string | null;
  /** The raw failure reason. */
  error: string;
  /** Workflow of each instance of the plan. */
  instances: Record<string, string>;
  /** Instances whose output the run produced before failing. */
  completedInstances?: string[];
  /** File names of artifacts the user knows (id → name), to say "orders.csv" instead of an id. */
  artifactNames?: Record<string, string>;
}

/** Phrases that give away internals: Redis keys, job and run ids, error class prefixes. */
const REDIS_KEY = /\{?[\w-]*\}?:(?:nodes|flows|orchestrator|maintenance)[\w-]*:[^\s,;)]+/g;
const RUN_ID = /\brun-sess_[\w-]+(?:\.[\w.-]+)?/g;
const JOB_ID = /\b(?:job|msg)[-_ ](?:msg_)?[0-9a-f]{6,}[\w-]*\b/gi;
const ERROR_PREFIX = /^(?:(?:Unrecoverable|Validation|NotFound|Conflict|Forbidden|PayloadTooLarge|Cycle|Type|Range|Syntax|Reference)?Error|AppError|ZodError):\s*/;

/** What to do next, by what the cause says (first match wins). */
const ADVICE: readonly [RegExp, string][] = [
  [/not a (?:job|box|column)\b.*\bof this file/i, 'use the names as they are in the file (ask "what\'s in this file?" for them) and try again.'],
  [/does not hold JSON|not valid JSON|Unexpected token|JSON at position|expected .*artifact id|invalid input for/i,
    'the step was given a file it cannot read (it expects the output of an earlier step). Attach the original upload (the .jil export or the .csv file) and ask again; I add the steps it needs.'],
  [/not found|no such|expired|deleted|NoSuchKey/i, 'the file it needs is gone (deleted or expired). Upload it again and repeat the request.'],
  [/too large|payload|exceeds|limit/i, 'the input is over a size limit. Split the file, or ask an operator to raise the limit.'],
  [/cycle/i, 'the dependencies form a cycle. Fix the job conditions named above and try again.'],
  [/timed? ?out|ECONNREFUSED|ECONNRESET|unavailable|503|stalled/i, 'a service it needs did not answer. Try again in a minute.'],
  [/encoding|utf-?8|delimiter|quote|header|ragged|column/i, 'check the file is a well-formed CSV (encoding, delimiter, header), or give the delimiter explicitly, and try again.'],
  [/jil|insert_job|autosys|parse/i, 'check the file is an AutoSys JIL export and try again.'],
];

const DEFAULT_ADVICE = 'check the input file and try again; if it fails the same way, the file may be in a form this step does not read yet.';

/** The first sentence (or clause before a colon) of a workflow description, lowercased at the start. */
function aboutOf(registry: WorkflowRegistry, workflow: string): string {
  const description = registry.has(workflow) ? registry.get(workflow).description : (registry.getChain(workflow)?.description ?? '');
  const first = description.split(/(?<=[a-z)])[.:](?:\s|$)/)[0]?.trim() ?? '';
  if (!first) return '';
  return first[0]!.toLowerCase() + first.slice(1);
}

/** The raw reason cleaned for a user: first line, no class prefix, no ids or keys, artifact ids as file names. */
export function userCause(error: string, artifactNames: Record<string, string> = {}): string {
  let text = (error.split('\n')[0] ?? '').trim();
  for (let i = 0; i < 3; i++) text = text.replace(ERROR_PREFIX, '');
  text = text
    .replace(/^invalid input for [\w.]+:\s*/i, '')
    .replace(REDIS_KEY, 'an earlier step')
    .replace(RUN_ID, 'an earlier step')
    .replace(JOB_ID, 'a job')
    .replace(/\bart_[A-Za-z0-9_-]+/g, (id) => (artifactNames[id] ? `"${artifactNames[id]}"` : 'the file'))
    .replace(/\s+at\s+\S+\s+\(.*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) text = 'it stopped without saying why';
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Turns a run failure into a report a user can act on. */
export function describeFailure(input: FailureInput, registry: WorkflowRegistry): FailureReport {
  const instance = input.step ? input.step.slice(0, input.step.lastIndexOf('.') >= 0 ? input.step.lastIndexOf('.') : undefined) : null;
  const workflow =
    (instance && input.instances[instance]) ??
    (input.step ? Object.values(input.instances).find((w) => input.step!.startsWith(w.replace(/[^A-Za-z0-9_-]/g, '_'))) : undefined) ??
    Object.values(input.instances)[0] ??
    'the run';
  const cause = userCause(input.error, input.artifactNames);
  const next = ADVICE.find(([re]) => re.test(input.error))?.[1] ?? DEFAULT_ADVICE;
  const completed = (input.completedInstances ?? []).map((i) => input.instances[i]).filter((w): w is string => Boolean(w) && w !== workflow);
  return { workflow, about: aboutOf(registry, workflow), cause, next: next[0]!.toUpperCase() + next.slice(1), completed };
}
