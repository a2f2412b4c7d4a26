import type { z } from 'zod';
import { NodeJobData, NodeResult } from './job-data.js';

/**
 * Reading what the engine itself wrote to Redis: node job data and node results, thousands of
 * times a second. The zod schemas in job-data.ts stay the definition and the judge. Each reader
 * first tries a shape check of the exact form the flow builder and the node runner write (plain
 * fields of the right types, nothing unknown); what it does not fully recognise — a condition, a
 * coordinator's inputs, any stray key or wrong type — goes through the zod schema, which gives the
 * precise error. The fast path accepts a subset of what the schema accepts and returns the same
 * value (defaults filled), so it changes speed, never meaning: test/unit/job-data-reader.test.ts
 * checks both against each other.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const optBool = (v: unknown) => v === undefined || typeof v === 'boolean';

const RUN_ID = /^[A-Za-z0-9_-]+$/;
const DATA_KEYS = new Set(['runId', 'sessionId', 'userId', 'step', 'root', 'children']);
const STEP_KEYS = new Set(['id', 'workflow', 'node', 'instance', 'params', 'dependsOn', 'onFailure', 'hasWhen', 'readsFailures', 'entry', 'terminal']);

function onlyKeys(o: Obj, allowed: ReadonlySet<string>): boolean {
  for (const k in o) if (!allowed.has(k)) return false;
  return true;
}

function fastJobData(raw: unknown): NodeJobData | undefined {
  if (!isObj(raw) || !onlyKeys(raw, DATA_KEYS)) return undefined;
  const { runId, sessionId, userId, step: s, root, children } = raw;
  if (!isStr(runId) || !RUN_ID.test(runId) || !isStr(sessionId) || !isStr(userId) || !optBool(root) || !optBool(children)) return undefined;
  if (!isObj(s) || !onlyKeys(s, STEP_KEYS)) return undefined;
  if (!isStr(s.id) || !isStr(s.workflow) || !isStr(s.node) || !isStr(s.instance)) return undefined;
  if (s.params !== undefined && !isObj(s.params)) return undefined;
  if (s.dependsOn !== undefined && !isStrArray(s.dependsOn)) return undefined;
  if (s.onFailure !== undefined && s.onFailure !== 'fail' && s.onFailure !== 'ignore') return undefined;
  if (!optBool(s.hasWhen) || !optBool(s.readsFailures) || !optBool(s.entry) || !optBool(s.terminal)) return undefined;
  return {
    runId,
    sessionId,
    userId,
    step: {
      id: s.id,
      workflow: s.workflow,
      node: s.node,
      instance: s.instance,
      params: (s.params as Obj | undefined) ?? {},
      dependsOn: (s.dependsOn as string[] | undefined) ?? [],
      onFailure: (s.onFailure as 'fail' | 'ignore' | undefined) ?? 'fail',
      condition: null,
      hasWhen: (s.hasWhen as boolean | undefined) ?? false,
      readsFailures: (s.readsFailures as boolean | undefined) ?? false,
      entry: (s.entry as boolean | undefined) ?? false,
      terminal: (s.terminal as boolean | undefined) ?? false,
    },
    inputs: {},
    skipped: [],
    root: (root as boolean | undefined) ?? false,
    children: (children as boolean | undefined) ?? false,
  };
}

/** `job.data` of a node job, checked; an error message when it is not one. */
export function readNodeJobData(raw: unknown): { success: true; data: NodeJobData } | { success: false; error: string } {
  const fast = fastJobData(raw);
  if (fast) return { success: true, data: fast };
  const parsed = NodeJobData.safeParse(raw);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, error: parsed.error.message };
}

const RESULT_KEYS = new Set(['step', 'instance', 'workflow', 'node', 'state', 'outputs', 'artifacts', 'allArtifacts', 'failed', 'skipped']);
/** Fields a stored result may leave out when they are empty (see `toWire`). */
const OPTIONAL_ARRAYS = ['artifacts', 'allArtifacts', 'failed', 'skipped'] as const;
/** A node result as a job stores it: `NodeResult` with the lists and the state optional (empty when left out). */
export const StoredNodeResult = NodeResult.extend({
  state: NodeResult.shape.state.default({}),
  artifacts: NodeResult.shape.artifacts.default([]),
  allArtifacts: NodeResult.shape.allArtifacts.default([]),
  failed: NodeResult.shape.failed.default([]),
  skipped: NodeResult.shape.skipped.default([]),
});
export type StoredNodeResult = z.input<typeof StoredNodeResult>;

function isFailure(v: unknown): boolean {
  if (!isObj(v) || !isStr(v.step) || !isStr(v.error)) return false;
  for (const k in v) if (k !== 'step' && k !== 'error') return false;
  return true;
}

function fastResult(raw: unknown): NodeResult | undefined {
  if (!isObj(raw) || !onlyKeys(raw, RESULT_KEYS)) return undefined;
  if (!isStr(raw.step) || !isStr(raw.instance) || !isStr(raw.workflow) || !isStr(raw.node)) return undefined;
  if (raw.state !== undefined && !isObj(raw.state)) return undefined;
  const outputs = raw.outputs;
  if (!isObj(outputs)) return undefined;
  for (const k in outputs) if (!isObj(outputs[k])) return undefined;
  for (const k of ['artifacts', 'allArtifacts', 'skipped'] as const) if (raw[k] !== undefined && !isStrArray(raw[k])) return undefined;
  if (raw.failed !== undefined && !(Array.isArray(raw.failed) && raw.failed.every(isFailure))) return undefined;
  return {
    step: raw.step,
    instance: raw.instance,
    workflow: raw.workflow,
    node: raw.node,
    state: (raw.state as Obj | undefined) ?? {},
    outputs: outputs as Record<string, Obj>,
    artifacts: (raw.artifacts as string[] | undefined) ?? [],
    allArtifacts: (raw.allArtifacts as string[] | undefined) ?? [],
    failed: (raw.failed as NodeResult['failed'] | undefined) ?? [],
    skipped: (raw.skipped as string[] | undefined) ?? [],
  };
}

/** A node result as stored (whole, or compact as `toWire` writes it); throws a ZodError when it is not one. */
export function readNodeResult(raw: unknown): NodeResult {
  return fastResult(raw) ?? StoredNodeResult.parse(raw);
}

/** Like `readNodeResult`, undefined instead of an error. */
export function tryReadNodeResult(raw: unknown): NodeResult | undefined {
  const fast = fastResult(raw);
  if (fast) return fast;
  const parsed = StoredNodeResult.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The result as a node job stores it for its parent: empty state and empty lists left out (the
 * reader restores them). A run's top job keeps the whole form, since users read it.
 */
export function toWire(result: NodeResult): StoredNodeResult {
  const out: StoredNodeResult = { step: result.step, instance: result.instance, workflow: result.workflow, node: result.node, outputs: result.outputs };
  for (const _ in result.state) {
    out.state = result.state;
    break;
  }
  for (const k of OPTIONAL_ARRAYS) if (result[k].length) (out as Record<string, unknown>)[k] = result[k];
  return out;
}
