import { z } from 'zod';
import { Condition } from './run-spec.js';

/** One node of one workflow instance, as it will run: a BullMQ job. */
export const PlanStep = z
  .object({
    /** Unique in the run: `<instance>.<node>`; part of the job id. */
    id: z.string(),
    workflow: z.string(),
    node: z.string(),
    /** The workflow instance (a spec step) this node belongs to. */
    instance: z.string(),
    /** Parameters of the instance (values may be `{ $from: "inst.path" }`). */
    params: z.record(z.string(), z.unknown()).default({}),
    dependsOn: z.array(z.string()).default([]),
    onFailure: z.enum(['fail', 'ignore']).default('fail'),
    /** A spec-level condition on an earlier instance's output; `negate` for the else branch. */
    condition: z.object({ instance: z.string(), test: Condition, negate: z.boolean() }).strict().nullable().default(null),
    /** The node has a run-time `when` predicate. */
    hasWhen: z.boolean().default(false),
    /** Some dependency runs under the `ignore` policy, so its failure must be read. */
    readsFailures: z.boolean().default(false),
    /** First node(s) of the instance: they validate the instance's full input. */
    entry: z.boolean().default(false),
    /** Last node(s) of the instance: their merged output is the instance's output. */
    terminal: z.boolean().default(false),
  })
  .strict();
export type PlanStep = z.infer<typeof PlanStep>;

/** A workflow instance the planner inserted because a step was given an artifact of an earlier kind. */
export const PlannedPrerequisite = z
  .object({
    instance: z.string(),
    workflow: z.string(),
    /** The artifact it starts from (or `<instance>.<field>` of an earlier prerequisite). */
    from: z.string(),
    /** The kind it makes. */
    kind: z.string(),
    /** The steps (instance and parameter) that read what it makes: more than one when shared. */
    for: z.array(z.object({ instance: z.string(), param: z.string() }).strict()),
  })
  .strict();
export type PlannedPrerequisite = z.infer<typeof PlannedPrerequisite>;

/** A derived artifact the session already had, used instead of running its producer again. */
export const ReusedArtifact = z
  .object({
    instance: z.string(),
    param: z.string(),
    /** The artifact the request gave. */
    from: z.string(),
    /** The derived artifact used. */
    artifactId: z.string(),
    kind: z.string(),
    /** The workflow that made it (and is not run again). */
    workflow: z.string(),
  })
  .strict();
export type ReusedArtifact = z.infer<typeof ReusedArtifact>;

export const Plan = z
  .object({
    steps: z.array(PlanStep),
    /** Steps nothing depends on. */
    sinks: z.array(z.string()),
    /** `tree` compiles to one FlowProducer tree; `coordinator` needs a job that adds steps as they become ready. */
    mode: z.enum(['tree', 'coordinator']),
    /** Workflow of each instance, in spec order. */
    instances: z.record(z.string(), z.string()),
    /** Producers the planner inserted (kinds and prerequisites). Default []. */
    prerequisites: z.array(PlannedPrerequisite).default([]),
    /** Derived artifacts reused instead of recomputed. Default []. */
    reused: z.array(ReusedArtifact).default([]),
  })
  .strict();
export type Plan = z.infer<typeof Plan>;

/**
 * A step as it travels in job data: fields at their default are left out (the worker's parse puts
 * them back), so every job of a run carries fewer bytes through Redis.
 */
export function compactStep(step: PlanStep): z.input<typeof PlanStep> {
  const out: Record<string, unknown> = { id: step.id, workflow: step.workflow, node: step.node, instance: step.instance };
  if (Object.keys(step.params).length) out.params = step.params;
  if (step.dependsOn.length) out.dependsOn = step.dependsOn;
  if (step.onFailure !== 'fail') out.onFailure = step.onFailure;
  if (step.condition) out.condition = step.condition;
  for (const k of ['hasWhen', 'readsFailures', 'entry', 'terminal'] as const) if (step[k]) out[k] = true;
  return out as z.input<typeof PlanStep>;
}

/** A synthetic last step that joins several sinks so a tree has one root. */
export const JOIN_WORKFLOW = '__engine';
export const JOIN_NODE = 'join';

/** `{ $from: "instance.path" }` references in params. */
export function fromRefs(params: Record<string, unknown>): { key: string; instance: string; path: string }[] {
  const out: { key: string; instance: string; path: string }[] = [];
  for (const [key, v] of Object.entries(params)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { $from?: unknown }).$from === 'string') {
      const ref = (v as { $from: string }).$from;
      const dot = ref.indexOf('.');
      out.push({ key, instance: dot < 0 ? ref : ref.slice(0, dot), path: dot < 0 ? '' : ref.slice(dot + 1) });
    }
  }
  return out;
}

export { compilePlan, DEFAULT_MAX_PLAN_STEPS, type CompileOptions } from './compile.js';
