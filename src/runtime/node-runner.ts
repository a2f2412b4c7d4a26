import { UnrecoverableError, type Job } from 'bullmq';
import type { RedisClient } from '../infra/redis.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';
import type { NodeState } from '../workflows/define-workflow.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import type { NodeJobData, NodeResult } from './job-data.js';
import { readNodeJobData, readNodeResult, toWire, type StoredNodeResult } from './job-data-reader.js';
import { mergeResults, resolveParams } from './merge-results.js';
import { JOIN_WORKFLOW } from '../planning/plan.js';
import { CANCELLED_MESSAGE, isCancelled } from './cancel.js';
import { JobNodeContext } from './node-context.js';

export interface NodeRunnerDeps {
  registry: WorkflowRegistry;
  artifacts: ArtifactStore;
  log: Logger;
  /** Where cancel marks live; without it runs cannot be cancelled mid-way. */
  redis?: RedisClient;
  keyPrefix?: string;
}

/** Largest JSON a node may return; anything bigger belongs in an artifact. */
export const MAX_RESULT_BYTES = 256 * 1024;

/** Errors retrying cannot fix: bad input, unknown ids, size limits, cycles. */
const PERMANENT = new Set(['validation_error', 'not_found', 'payload_too_large', 'cycle', 'forbidden', 'conflict']);

/**
 * Results of this job's children (in a flow tree or under a coordinator). `withFailures: false`
 * skips reading ignored failures when no child runs under the `ignore` policy.
 */
export async function childResults(job: Job, withFailures = true): Promise<{ results: NodeResult[]; failed: { step: string; error: string }[] }> {
  const [values, ignored] = await Promise.all([job.getChildrenValues(), withFailures ? job.getIgnoredChildrenFailures() : {}]);
  const results = Object.values(values).map(readNodeResult);
  const failed = Object.entries(ignored).map(([key, error]) => ({ step: stepOfKey(key), error: String(error) }));
  return { results, failed };
}

/** `prefix:queue:runId.step` → `step`. */
export function stepOfKey(key: string): string {
  const id = key.slice(key.lastIndexOf(':') + 1);
  return id.slice(id.indexOf('.') + 1);
}

/** The processor of the `nodes` queue: runs one workflow node and returns its NodeResult. */
export function createNodeProcessor(deps: NodeRunnerDeps) {
  return async (job: Job): Promise<NodeResult | StoredNodeResult> => {
    const parsed = readNodeJobData(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid node job data: ${parsed.error}`);
    const d = parsed.data;
    const { step } = d;
    // In a flow tree the dependencies are this job's children; leaves have none to read.
    const treeChildren = d.children || (step.dependsOn.length > 0 && Object.keys(d.inputs).length === 0);
    // a node with upstream steps checks for a cancel (leaves of a cancelled run are removed from the queue)
    let fromChildren: NodeResult[] = [];
    let failed: { step: string; error: string }[] = [];
    if (step.dependsOn.length > 0) {
      // (a leaf reads nothing: no wait at all)
      const [children, cancelled] = await Promise.all([
        treeChildren ? childResults(job, step.readsFailures) : undefined,
        deps.redis ? isCancelled(deps.redis, deps.keyPrefix ?? '', d.runId) : false,
      ]);
      if (cancelled) throw new UnrecoverableError(CANCELLED_MESSAGE);
      if (children) ({ results: fromChildren, failed } = children);
    }
    const upstream = mergeResults([...Object.values(d.inputs), ...fromChildren], failed, d.skipped);
    if (step.workflow === JOIN_WORKFLOW) {
      return stored(d, { step: step.id, instance: step.instance, workflow: step.workflow, node: step.node, ...upstream, artifacts: [] });
    }

    const workflow = deps.registry.get(step.workflow);
    const def = workflow.nodes[step.node];
    if (!def) throw new UnrecoverableError(`workflow ${step.workflow} has no node ${step.node}`);
    // upstream.state is this job's own copy: the parameters go straight into it
    const input: NodeState = Object.assign(upstream.state, resolveParams(step.params, upstream.outputs));
    if (step.entry) {
      const checked = workflow.input.safeParse(input);
      if (!checked.success) {
        const msg = checked.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
        throw new UnrecoverableError(`invalid input for ${workflow.name}: ${msg}`);
      }
      Object.assign(input, checked.data as NodeState);
    }
    const ctx = new JobNodeContext(job, d, workflow, input, deps);
    let output: NodeState;
    try {
      output = (await def.run(input, ctx)) ?? {};
    } catch (err) {
      const permanent = err instanceof AppError && PERMANENT.has(err.code);
      if (permanent) throw new UnrecoverableError(`${(err as Error).name}: ${(err as Error).message}`);
      throw err;
    }
    const own = Array.isArray(output.artifacts) ? (output.artifacts as unknown[]).filter((a): a is string => typeof a === 'string') : [];
    // (upstream.outputs, like upstream.state, was made for this job by mergeResults)
    const outputs = upstream.outputs;
    const instanceOut = Object.assign({}, outputs[step.instance], output);
    outputs[step.instance] = instanceOut;
    if (step.terminal) {
      const checked = workflow.output.safeParse(instanceOut);
      if (!checked.success) {
        throw new UnrecoverableError(`${workflow.name} returned an output that does not match its schema: ${checked.error.message}`);
      }
    }
    const result: NodeResult = {
      step: step.id,
      instance: step.instance,
      workflow: step.workflow,
      node: step.node,
      state: Object.assign({}, input, output),
      outputs,
      artifacts: own,
      allArtifacts: own.length ? [...new Set([...upstream.allArtifacts, ...own])] : upstream.allArtifacts,
      failed: upstream.failed,
      skipped: upstream.skipped,
    };
    const value = stored(d, result);
    const size = Buffer.byteLength(JSON.stringify(value));
    if (size > MAX_RESULT_BYTES) {
      throw new UnrecoverableError(
        `${step.id} returned ${size} bytes; results over ${MAX_RESULT_BYTES} must be stored as artifacts (wrap the node with withArtifacts)`,
      );
    }
    return value;
  };
}

/** What a node job stores: a run's top job the whole result (users read it), any other the compact one its parent reads. */
function stored(d: NodeJobData, result: NodeResult): NodeResult | StoredNodeResult {
  return d.root ? result : toWire(result);
}

