import { z } from 'zod';

export const AirflowOptions = z
  .object({
    /**
     * Top-level jobs outside any box: `component` puts the jobs connected by conditions into one DAG per
     * connected component (edges inside it, the schedule of its root job; an unconnected job keeps its own
     * DAG and schedule); `per-job` gives each job its own DAG, joined by ExternalTaskSensors; `shared` puts
     * them all in one `standalone_jobs` DAG with schedule=None (their schedules become TODOs). Default
     * `component`.
     */
    standalone: z.enum(['component', 'per-job', 'shared']).optional(),
    /** Folder of the generated files. Default `dags`. */
    dagsFolder: z.string().optional(),
    /** start_date of every DAG, `YYYY-MM-DD`. Default `2024-01-01`. */
    startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    /** Sensor mode of generated sensors. Default `reschedule`. */
    sensorMode: z.enum(['reschedule', 'poke']).optional(),
    /** Owner when a job has none. Default `airflow`. */
    defaultOwner: z.string().optional(),
    /** Tags added to every DAG. Default `["autosys"]`. */
    tags: z.array(z.string()).optional(),
  })
  .strict();
export type AirflowOptions = z.infer<typeof AirflowOptions>;

export const AirflowFile = z.object({ path: z.string(), content: z.string() }).strict();
export type AirflowFile = z.infer<typeof AirflowFile>;

/** How one JIL dependency shows up in the generated code. */
export const AirflowEdge = z
  .object({
    /** Upstream job (`JOB^INS` for another instance). */
    from: z.string(),
    /** Downstream job. */
    to: z.string(),
    status: z.string(),
    /**
     * `edge`: `upstream >> task` (the trigger rule says which states count); `guard`: `upstream >> guard`,
     * where a ShortCircuitOperator checks the upstream states; `sensor`: an ExternalTaskSensor in the
     * downstream DAG; `todo`: no construct, an explicit `# TODO(jil):` comment instead.
     */
    via: z.enum(['edge', 'guard', 'sensor', 'todo']),
    /** DAG of the downstream task. */
    dagId: z.string(),
    /** The exact line of generated code that carries the dependency. */
    code: z.string(),
  })
  .strict();
export type AirflowEdge = z.infer<typeof AirflowEdge>;

export const AirflowNote = z
  .object({ dagId: z.string().nullable(), job: z.string().nullable(), message: z.string() })
  .strict();
export type AirflowNote = z.infer<typeof AirflowNote>;

/** Where each JIL job went. */
export const AirflowTaskRef = z
  .object({
    job: z.string(),
    dagId: z.string(),
    file: z.string(),
    /** Full Airflow id (`group.sub.task`); for a box, its TaskGroup id (or null for the DAG's own box). */
    taskId: z.string().nullable(),
    kind: z.enum(['dag', 'group', 'task']),
    /** Python variable of the task/group in the file (null for the DAG's own box). */
    variable: z.string().nullable(),
    /** Operator class, `TaskGroup`, or `DAG`. */
    operator: z.string(),
    /** Trigger rule set on the task (tasks only; null when Airflow's default all_success applies implicitly). */
    triggerRule: z.string().nullable(),
  })
  .strict();
export type AirflowTaskRef = z.infer<typeof AirflowTaskRef>;

export const AirflowReport = z
  .object({
    warnings: z.array(AirflowNote),
    todos: z.array(AirflowNote),
    edges: z.array(AirflowEdge),
    tasks: z.array(AirflowTaskRef),
  })
  .strict();
export type AirflowReport = z.infer<typeof AirflowReport>;

export const AirflowResult = z.object({ files: z.array(AirflowFile), report: AirflowReport }).strict();
export type AirflowResult = z.infer<typeof AirflowResult>;
