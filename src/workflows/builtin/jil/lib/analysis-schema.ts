import { z } from 'zod';
import { JilCompareOp, JilConditionNode } from './condition-schema.js';

/** A node of the dependency graph: a defined job, or a job only referenced by conditions. */
export const JilGraphNode = z
  .object({
    /** Unique id: the job name, or `JOB^INS` for a job of another instance. */
    id: z.string(),
    job: z.string(),
    instance: z.string().optional(),
    /** True when the job is defined in the parsed file. */
    defined: z.boolean(),
    /** Job type (null when not defined). */
    type: z.string().nullable(),
    /** Effective parent box (null for top-level or undefined jobs). */
    box: z.string().nullable(),
    /** Outermost box (a top-level box is its own; null for standalone or undefined jobs). */
    topBox: z.string().nullable(),
  })
  .strict();
export type JilGraphNode = z.infer<typeof JilGraphNode>;

/** One condition atom as an edge upstream → downstream. */
export const JilGraphEdge = z
  .object({
    /** Upstream node id. */
    from: z.string(),
    /** Downstream job. */
    to: z.string(),
    status: z.enum(['success', 'failure', 'terminated', 'done', 'notrunning', 'exitcode']),
    instance: z.string().optional(),
    lookbackMinutes: z.number().int().nonnegative().optional(),
    op: JilCompareOp.optional(),
    value: z.number().int().optional(),
    /** Upstream and downstream sit in different top-level groups (boxes; standalone jobs count as outside every box). */
    crossBox: z.boolean(),
    /** The upstream lives in another AutoSys instance (`JOB^INS`). */
    crossInstance: z.boolean(),
  })
  .strict();
export type JilGraphEdge = z.infer<typeof JilGraphEdge>;

/** A box and what it holds. */
export interface JilBoxTreeNode {
  name: string;
  /** Direct non-box children, in file order. */
  jobs: string[];
  /** Nested boxes. */
  boxes: JilBoxTreeNode[];
}
export const JilBoxTreeNode: z.ZodType<JilBoxTreeNode> = z.lazy(() =>
  z.object({ name: z.string(), jobs: z.array(z.string()), boxes: z.array(JilBoxTreeNode) }).strict(),
);

export const JilAnalysis = z
  .object({
    nodes: z.array(JilGraphNode),
    edges: z.array(JilGraphEdge),
    /** Defined jobs with no ordering upstream inside the file (notrunning and cross-instance edges do not count). */
    roots: z.array(z.string()),
    /** Defined jobs that no defined job waits for (ordering edges only). */
    leaves: z.array(z.string()),
    /** Top-level boxes with their nesting. */
    boxTree: z.array(JilBoxTreeNode),
    /** Top-level jobs outside every box (not boxes themselves). */
    standalone: z.array(z.string()),
    /** Elementary cycles among ordering edges, each as a list of job names (the first job waits on the last). */
    cycles: z.array(z.array(z.string())),
    /** True when cycle enumeration stopped at its limit. */
    cyclesTruncated: z.boolean(),
    /** Jobs referenced by conditions but not defined in the file (same instance). */
    undefinedJobs: z.array(z.object({ job: z.string(), referencedBy: z.array(z.string()) }).strict()),
    crossBoxEdges: z.array(JilGraphEdge),
    crossInstanceEdges: z.array(JilGraphEdge),
    /** Longest chain of defined jobs by count after removing cycles. */
    criticalPath: z.object({ length: z.number().int().nonnegative(), jobs: z.array(z.string()) }).strict(),
    /** Global variables tested by conditions, with the jobs testing them. */
    variables: z.array(z.object({ name: z.string(), usedBy: z.array(z.string()) }).strict()),
    /**
     * The conditions with alternatives (an `or`), by job: the edges alone would list what such a job
     * waits on as if it waited on all of it. Default {} (analyses made before this field).
     */
    alternatives: z.record(z.string(), JilConditionNode).default({}),
  })
  .strict();
export type JilAnalysis = z.infer<typeof JilAnalysis>;

export const JilAnalyzeOptions = z
  .object({
    /** Most cycles listed. Default 100. */
    maxCycles: z.number().int().positive().optional(),
    /** Search budget of the cycle enumeration (steps). Default 200 000. */
    maxCycleSteps: z.number().int().positive().optional(),
  })
  .strict();
export type JilAnalyzeOptions = z.infer<typeof JilAnalyzeOptions>;
