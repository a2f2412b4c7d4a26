import { ConfigError } from '../errors/config-error.js';
import { DEFAULT_NODE_QUEUE, nodeQueueProblem } from '../workflows/define-workflow.js';
import type { WorkflowRegistry } from '../workflows/registry.js';

/** Which node queue each workflow's nodes run on. */
export interface NodeRouting {
  /** The node queue of `workflow` (the default queue for engine joins and unknown names). */
  queueOf(workflow: string): string;
  /** Every node queue a run can use: the default one first, then the others by name. */
  readonly names: readonly string[];
}

/**
 * Resolves node queues: a config override for the workflow (`csv.profile=…`), else one for its area
 * (`csv.*=…`), else the workflow's own `queue`, else `nodes`. A bad override is a ConfigError.
 */
export function nodeRouting(registry: WorkflowRegistry, overrides: readonly (readonly [string, string])[] = []): NodeRouting {
  for (const [, queue] of overrides) {
    const problem = nodeQueueProblem(queue);
    if (problem) throw new ConfigError(`DATAOPS_WORKFLOW_QUEUES: ${problem}`);
  }
  const exact = new Map(overrides.filter(([k]) => !k.endsWith('.*')).map(([k, v]) => [k, v]));
  const areas = overrides.filter(([k]) => k.endsWith('.*')).map(([k, v]) => [k.slice(0, -1), v] as const);
  const byWorkflow = new Map<string, string>();
  for (const w of registry.list()) {
    const area = areas.filter(([p]) => w.name.startsWith(p)).sort((a, b) => b[0].length - a[0].length)[0];
    byWorkflow.set(w.name, exact.get(w.name) ?? area?.[1] ?? w.queue);
  }
  const others = new Set([...byWorkflow.values(), ...overrides.map(([, v]) => v)]);
  others.delete(DEFAULT_NODE_QUEUE);
  return {
    queueOf: (workflow) => byWorkflow.get(workflow) ?? DEFAULT_NODE_QUEUE,
    names: [DEFAULT_NODE_QUEUE, ...[...others].sort()],
  };
}
