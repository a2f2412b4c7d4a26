import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { TenantArtifacts } from '../artifacts/tenant-artifacts.js';
import { ValidationError } from '../errors/validation-error.js';
import { ArtifactKind, type Derivation } from '../artifacts/artifact-kind.js';

/** What a node function receives besides its state. */
export interface NodeContext {
  runId: string;
  sessionId: string;
  userId: string;
  workflow: string;
  node: string;
  /** Step id of this node in the run (unique per run). */
  step: string;
  /**
   * The artifacts this run's user may see, bound to the run's session: another user's artifact is
   * "not found" whatever its id came from. Stored ids are deterministic per run, step and output
   * key, so a retried node finds what it stored before instead of storing it twice.
   */
  artifacts: TenantArtifacts;
  log: Logger;
  /** Reports progress (0-100) to the job and to the session's listeners. */
  progress(percent: number, message?: string): Promise<void>;
  /**
   * Where this node's artifacts come from (workflow, input artifacts, parameter hash), recorded on
   * what it stores so an identical later request can reuse them. Set by the node runner.
   */
  derivation?: Derivation;
  /** The workflow's `produces` declaration (output field → artifact kind). Set by the node runner. */
  produces?: Readonly<Record<string, ArtifactKind>>;
}

/** The state a node sees: the workflow's parameters merged with every upstream node's output. */
export type NodeState = Record<string, unknown>;

/** A node: an async function from state to a partial state that is merged downstream. */
export type NodeFn = (state: NodeState, ctx: NodeContext) => Promise<NodeState>;

export interface NodeDefinition {
  run: NodeFn;
  /** Nodes of the same workflow that must finish first. Default: none (runs at the start). */
  after?: string[];
  /**
   * Run only if this returns true on the merged upstream state; otherwise the node (and nodes that
   * depend only on it) are skipped. Decided at run time. Default: always run.
   */
  when?: (state: NodeState) => boolean;
  /** What a failure of this node does: `fail` the run (default) or `ignore` it and let dependents go on. */
  onFailure?: 'fail' | 'ignore';
}

export interface WorkflowOptions<I extends z.ZodObject, O extends z.ZodType> {
  /** Unique name, `area.action` (lowercase, digits, `_`, one or more dots), e.g. `jil.parse`. */
  name: string;
  /** One or two sentences: what it does, for the router and the docs. */
  description: string;
  /** Requests a user might type for this workflow (the offline router scores them). */
  examples: string[];
  /** Parameters. Describe each field; give `meta({ 'x-ask': '…' })` for what to ask when it is missing. */
  input: I;
  /** Shape of the workflow's result (the merged output of its last nodes). */
  output: O;
  /** The nodes and the graph between them (`after`, `when`). A single `run` is shorthand for one node. */
  nodes: Record<string, NodeDefinition>;
  /** Tags for docs and filtering. Default []. */
  tags?: string[];
  /**
   * The queue its nodes run on, so a family of workflows gets its own workers (e.g. `csv`, `jil`).
   * Lowercase letters, digits, `-`; not `orchestrator`, `flows` or `maintenance`. Config
   * (`DATAOPS_WORKFLOW_QUEUES`) overrides it. Default `nodes`.
   */
  queue?: string;
  /** One short paragraph for the user about a finished run's output. Default: the output's fields. */
  summarize?: (output: z.infer<O>) => string;
  /**
   * Answers the user's question from a finished run's output when it holds the answer ("which jobs
   * have no upstream"), for the top of the reply; null when it does not. `readJson` reads an artifact
   * of the user's session. Default: none (the reply is the summary only).
   */
  answer?: (question: string, output: z.infer<O>, readJson: (artifactId: string) => Promise<unknown>) => Promise<string | null>;
  /**
   * The output fields `answer` reads, when they are all it reads: fields of `produces`. With them, a
   * run that used this workflow's artifact from earlier in the session instead of running it again
   * (the parsed JIL a later question reads) still gets its answer: `answer` is called with an output
   * holding only these fields, each the artifact the run read. Default: none (answers only after
   * the workflow itself ran).
   */
  answerReads?: readonly string[];
  /**
   * The kinds of artifact it makes: output field (holding an artifact id, or an array of them) →
   * kind, e.g. `{ parsedArtifactId: 'jil.parsed' }`. The planner inserts this workflow before a
   * step whose artifact parameter accepts one of these kinds but was given an earlier kind that
   * this workflow's own artifact parameter accepts. `withArtifacts` records the kind on what it
   * stores. Default {} (makes nothing the planner can chain).
   */
  produces?: Record<string, ArtifactKind>;
  /**
   * Kind families of uploaded file (`jil`, `csv`) this workflow gives the overview of: a question
   * about such a file that names no task ("what's in this file?") runs it. Default [].
   */
  overviewOf?: string[];
  /**
   * A cheap test (a pattern, no I/O) of the questions `answer` answers from this workflow's output
   * ("when does X run"). A message that names no task and that exactly one workflow taking the
   * file's kind recognises runs that workflow, and its answer leads the reply. Default: none.
   */
  questions?: (question: string) => boolean;
}

export interface Workflow<I extends z.ZodObject = z.ZodObject, O extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly examples: readonly string[];
  readonly input: I;
  readonly output: O;
  readonly nodes: Readonly<Record<string, NodeDefinition>>;
  readonly tags: readonly string[];
  /** The queue its nodes run on (before config overrides). */
  readonly queue: string;
  /** Node names in a topological order. */
  readonly order: readonly string[];
  /** Nodes no other node depends on; their merged output is the workflow's output. */
  readonly terminals: readonly string[];
  /** Nodes without `after`. */
  readonly entries: readonly string[];
  readonly summarize: ((output: z.infer<O>) => string) | undefined;
  /** See WorkflowOptions.answer. */
  readonly answer: ((question: string, output: z.infer<O>, readJson: (artifactId: string) => Promise<unknown>) => Promise<string | null>) | undefined;
  /** See WorkflowOptions.answerReads. */
  readonly answerReads: readonly string[];
  /** Output field → kind of the artifacts it holds (see WorkflowOptions.produces). */
  readonly produces: Readonly<Record<string, ArtifactKind>>;
  /** See WorkflowOptions.overviewOf. */
  readonly overviewOf: readonly string[];
  /** See WorkflowOptions.questions. */
  readonly questions: ((question: string) => boolean) | undefined;
}

/** Node queue of a workflow that names none. */
export const DEFAULT_NODE_QUEUE = 'nodes';
/** Queue names a workflow cannot take: the coordinators', the orchestrator's and maintenance's. */
export const RESERVED_QUEUES: readonly string[] = ['orchestrator', 'flows', 'maintenance'];
const QUEUE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** Why `name` cannot be a node queue, or null when it can. */
export function nodeQueueProblem(name: string): string | null {
  if (!QUEUE_NAME.test(name)) return `queue "${name}" must be lowercase letters, digits and - (at most 40, starting with a letter)`;
  if (RESERVED_QUEUES.includes(name)) return `queue "${name}" is reserved (${RESERVED_QUEUES.join(', ')})`;
  return null;
}

export const WORKFLOW_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const NODE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,47}$/;

/** Validates a workflow definition (names, graph, no cycles) and freezes it. */
export function defineWorkflow<I extends z.ZodObject, O extends z.ZodType>(opts: WorkflowOptions<I, O>): Workflow<I, O> {
  if (!WORKFLOW_NAME.test(opts.name)) {
    throw new ValidationError(`workflow name "${opts.name}" must look like area.action (lowercase letters, digits, _)`);
  }
  const names = Object.keys(opts.nodes);
  if (names.length === 0) throw new ValidationError(`workflow ${opts.name} has no nodes`);
  for (const n of names) {
    if (!NODE_NAME.test(n)) throw new ValidationError(`workflow ${opts.name}: node name "${n}" is not a valid identifier`);
    for (const dep of opts.nodes[n]!.after ?? []) {
      if (!opts.nodes[dep]) throw new ValidationError(`workflow ${opts.name}: node "${n}" runs after unknown node "${dep}"`);
    }
  }
  const queueProblem = nodeQueueProblem(opts.queue ?? DEFAULT_NODE_QUEUE);
  if (queueProblem) throw new ValidationError(`workflow ${opts.name}: ${queueProblem}`);
  const order = topoOrder(opts.name, names, (n) => opts.nodes[n]!.after ?? []);
  const produces = { ...(opts.produces ?? {}) };
  const outputShape = opts.output instanceof z.ZodObject ? (opts.output.shape as Record<string, unknown>) : undefined;
  for (const [field, kind] of Object.entries(produces)) {
    if (!ArtifactKind.safeParse(kind).success) throw new ValidationError(`workflow ${opts.name}: produces ${field}: "${kind}" is not a kind name like csv.profile`);
    if (outputShape && !(field in outputShape)) throw new ValidationError(`workflow ${opts.name}: produces names "${field}", which its output schema does not have`);
  }
  for (const field of opts.answerReads ?? []) {
    if (!(field in produces)) throw new ValidationError(`workflow ${opts.name}: answerReads names "${field}", which is not one of its produces fields`);
  }
  if (opts.answerReads?.length && !opts.answer) throw new ValidationError(`workflow ${opts.name}: answerReads without answer`);
  for (const [field, schema] of Object.entries(opts.input.shape as Record<string, z.ZodType>)) {
    for (const kind of acceptsOf(schema) ?? []) {
      if (!ArtifactKind.safeParse(kind).success) throw new ValidationError(`workflow ${opts.name}: parameter ${field} accepts "${kind}", which is not a kind name`);
    }
  }
  for (const family of opts.overviewOf ?? []) {
    if (!/^[a-z][a-z0-9_]*$/.test(family)) throw new ValidationError(`workflow ${opts.name}: overviewOf "${family}" is not a kind family like jil or csv`);
  }
  const depended = new Set(names.flatMap((n) => opts.nodes[n]!.after ?? []));
  return Object.freeze({
    name: opts.name,
    description: opts.description,
    examples: Object.freeze([...opts.examples]),
    input: opts.input,
    output: opts.output,
    nodes: Object.freeze({ ...opts.nodes }),
    tags: Object.freeze([...(opts.tags ?? [])]),
    queue: opts.queue ?? DEFAULT_NODE_QUEUE,
    order: Object.freeze(order),
    terminals: Object.freeze(names.filter((n) => !depended.has(n))),
    entries: Object.freeze(names.filter((n) => (opts.nodes[n]!.after ?? []).length === 0)),
    summarize: opts.summarize,
    answer: opts.answer,
    answerReads: Object.freeze([...(opts.answerReads ?? [])]),
    produces: Object.freeze(produces),
    overviewOf: Object.freeze([...(opts.overviewOf ?? [])]),
    questions: opts.questions,
  });
}

function topoOrder(workflow: string, names: string[], deps: (n: string) => string[]): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: string[] = [];
  const visit = (n: string, path: string[]) => {
    const s = state.get(n);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(n)), n];
      throw new ValidationError(`workflow ${workflow} has a cycle: ${cycle.join(' → ')}`, { details: { cycle } });
    }
    state.set(n, 'visiting');
    for (const d of deps(n)) visit(d, [...path, n]);
    state.set(n, 'done');
    out.push(n);
  };
  for (const n of names) visit(n, []);
  return out;
}

/** What `param` records about a parameter. */
export interface ParamInfo {
  /** What it is, for the router and the docs. */
  description: string;
  /** The question to ask when it is missing. Default: none (optional parameters need none). */
  ask?: string;
  /** The value is an artifact id (`art_…`) the user attaches. Default false (true when `accepts` is given). */
  artifact?: boolean;
  /**
   * Artifact kinds the parameter takes, e.g. `['jil.parsed']`. Given an artifact of another kind,
   * the planner inserts the workflows that turn it into one of these (a raw `jil` is parsed first),
   * or rejects the run with a 400 when nothing can. Default: any kind (no planning).
   */
  accepts?: ArtifactKind[];
}

/**
 * Marks a parameter: its description (for the router and docs), the question to ask when it is
 * missing, and for artifact parameters the kinds it accepts (JSON Schema `x-artifact`, `x-accepts`).
 */
export function param<T extends z.ZodType>(schema: T, info: ParamInfo): T {
  const meta: Record<string, unknown> = { description: info.description };
  if (info.ask) meta['x-ask'] = info.ask;
  if (info.artifact || info.accepts) meta['x-artifact'] = true;
  if (info.accepts) meta['x-accepts'] = [...info.accepts];
  return schema.meta(meta) as T;
}

/** An artifact-id parameter (`art_…`), optionally with the kinds it accepts. */
export function artifactParam(info: Omit<ParamInfo, 'artifact'>) {
  return param(z.string().regex(/^art_[A-Za-z0-9_-]+$/, 'expected an artifact id (art_…)'), { ...info, artifact: true });
}

/** The kinds a parameter schema accepts (`x-accepts`), or undefined when it declares none. */
export function acceptsOf(schema: z.ZodType): string[] | undefined {
  const meta = (schema.meta?.() ?? {}) as Record<string, unknown>;
  const accepts = meta['x-accepts'];
  return Array.isArray(accepts) ? accepts.filter((k): k is string => typeof k === 'string') : undefined;
}

/** True when the parameter takes an artifact id (`x-artifact`). */
export function isArtifactParam(schema: z.ZodType): boolean {
  return ((schema.meta?.() ?? {}) as Record<string, unknown>)['x-artifact'] === true;
}
