import { z } from 'zod';

/** Step ids users may give; they become part of BullMQ job ids, so no `:`. */
export const StepId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'step ids are 1-64 letters, digits, _ or -');

/**
 * A run-time test on an earlier step's output: `path` is a dot path into that output
 * (e.g. `stats.jobs`), compared with `value`.
 */
export const Condition = z
  .object({
    /** Step whose output is tested. Default: the step just before the condition. */
    step: StepId.optional(),
    path: z.string().min(1),
    op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'exists', 'truthy', 'in']),
    value: z.unknown().optional(),
  })
  .strict();
export type Condition = z.infer<typeof Condition>;

export type StepSpec =
  | { workflow: string; params?: Record<string, unknown>; id?: string; onFailure?: 'fail' | 'ignore' }
  | { sequence: StepSpec[] }
  | { parallel: StepSpec[] }
  | { condition: Condition; then: StepSpec; else?: StepSpec }
  | { dag: DagNode[] };

/** One node of a `dag` step: a workflow and the ids of the nodes it depends on. */
export const DagNode = z
  .object({
    id: StepId,
    workflow: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    dependsOn: z.array(StepId).default([]),
    /** What a failure does to the nodes after it: `fail` the run (default) or `ignore` and go on. */
    onFailure: z.enum(['fail', 'ignore']).default('fail'),
  })
  .strict();
export type DagNode = z.input<typeof DagNode>;

/**
 * What a run executes: one workflow, a `sequence` (each output feeds the next), `parallel`
 * branches, a `condition` decided at run time from an earlier output, or a `dag` of workflows
 * with explicit dependencies. Values in `params` may be `{ "$from": "<stepId>.<path>" }`.
 */
export const StepSpec: z.ZodType<StepSpec> = z.lazy(() =>
  z.union([
    z
      .object({
        workflow: z.string().min(1),
        params: z.record(z.string(), z.unknown()).optional(),
        id: StepId.optional(),
        onFailure: z.enum(['fail', 'ignore']).optional(),
      })
      .strict(),
    z.object({ sequence: z.array(StepSpec).min(1) }).strict(),
    z.object({ parallel: z.array(StepSpec).min(1) }).strict(),
    z.object({ condition: Condition, then: StepSpec, else: StepSpec.optional() }).strict(),
    z.object({ dag: z.array(DagNode).min(1) }).strict(),
  ]),
) as z.ZodType<StepSpec>;

/** The body of `POST /v1/sessions/:id/runs`. */
export const RunRequest = z
  .object({
    /** Shorthand for one workflow. */
    workflow: z.string().min(1).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    /** A full spec (sequence / parallel / condition / dag). */
    spec: StepSpec.optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((r) => Boolean(r.workflow) !== Boolean(r.spec), { message: 'give exactly one of `workflow` or `spec`' });
export type RunRequest = z.infer<typeof RunRequest>;

/** Normalises a RunRequest to a StepSpec. */
export function runRequestToSpec(r: RunRequest): StepSpec {
  return r.spec ?? { workflow: r.workflow!, params: r.params ?? {} };
}
