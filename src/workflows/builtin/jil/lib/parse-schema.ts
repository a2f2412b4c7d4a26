import { z } from 'zod';
import { JilCondition, JilDependency, JilVariableRef } from './condition-schema.js';

/** A typed scalar attribute value. */
export const JilScalar = z.union([z.string(), z.number(), z.boolean()]);
export type JilScalar = z.infer<typeof JilScalar>;

/**
 * An attribute value: a scalar; a list (list-typed attributes, repeatable attributes, or any attribute
 * repeated in one statement); or a list of lists (a list-typed attribute repeated in one statement).
 */
export const JilAttributeValue = z.union([JilScalar, z.array(z.union([JilScalar, z.array(JilScalar)]))]);
export type JilAttributeValue = z.infer<typeof JilAttributeValue>;

export const JilAttributes = z.record(z.string(), JilAttributeValue);
export type JilAttributes = z.infer<typeof JilAttributes>;

/** A job after every insert/update of the file was applied. */
export const JilJob = z
  .object({
    name: z.string(),
    /** Normalised upper-case long form (`CMD`, `BOX`, `FW`, …); CMD when `job_type` is absent. */
    type: z.string(),
    /** The `box_name` (parent box) or null. */
    box: z.string().nullable(),
    /** Every attribute of the job (known ones typed, unknown ones as strings), incl. job_type/box_name/condition. */
    attributes: JilAttributes,
    condition: JilCondition.nullable(),
    /** Job dependencies from the condition, left to right. */
    dependsOn: z.array(JilDependency),
    /** Global-variable tests from the condition. */
    variables: z.array(JilVariableRef),
    /** Line of the insert_job (or of the first update_job for a partial job). */
    line: z.number().int().positive(),
    /** Lines of the update_job statements merged into this job. */
    updates: z.array(z.number().int().positive()),
    /** True when the file never inserts the job and it was built from update_job attributes alone. */
    partial: z.boolean(),
  })
  .strict();
export type JilJob = z.infer<typeof JilJob>;

/** A non-job statement (insert_machine, update_resource, delete_xinst, …), kept as its own entry. */
export const JilObject = z
  .object({
    /** The object kind from the subcommand (`machine`, `resource`, `xinst`, `glob`, …). */
    kind: z.string(),
    subcommand: z.string(),
    name: z.string(),
    attributes: JilAttributes,
    line: z.number().int().positive(),
  })
  .strict();
export type JilObject = z.infer<typeof JilObject>;

/** An override_job: attributes that apply to the job's next run only. */
export const JilOverride = z
  .object({
    job: z.string(),
    attributes: JilAttributes,
    condition: JilCondition.nullable(),
    /** Always true: AutoSys applies an override to the next run only. */
    nextRunOnly: z.literal(true),
    line: z.number().int().positive(),
  })
  .strict();
export type JilOverride = z.infer<typeof JilOverride>;

/** A delete_job / delete_box statement and what it removed. */
export const JilDeletion = z
  .object({
    name: z.string(),
    subcommand: z.enum(['delete_job', 'delete_box']),
    /** Jobs actually removed by the statement (a box's descendants for delete_box). */
    removed: z.array(z.string()),
    /** False when the job was not defined at that point of the file. */
    existed: z.boolean(),
    line: z.number().int().positive(),
  })
  .strict();
export type JilDeletion = z.infer<typeof JilDeletion>;

export const JilWarning = z.object({ line: z.number().int().nonnegative(), message: z.string() }).strict();
export type JilWarning = z.infer<typeof JilWarning>;

export const JilError = z
  .object({
    line: z.number().int().nonnegative(),
    kind: z.enum(['condition', 'statement']),
    message: z.string(),
    job: z.string().optional(),
    /** 0-based offset inside the condition text (condition errors). */
    position: z.number().int().nonnegative().optional(),
  })
  .strict();
export type JilError = z.infer<typeof JilError>;

export const JilParseStats = z
  .object({
    lines: z.number().int().nonnegative(),
    /** Input length in UTF-16 code units (characters). */
    chars: z.number().int().nonnegative(),
    statements: z.number().int().nonnegative(),
    jobs: z.number().int().nonnegative(),
    boxes: z.number().int().nonnegative(),
    conditions: z.number().int().nonnegative(),
    dependencies: z.number().int().nonnegative(),
    objects: z.number().int().nonnegative(),
    overrides: z.number().int().nonnegative(),
    deleted: z.number().int().nonnegative(),
    warnings: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    jobsByType: z.record(z.string(), z.number().int().nonnegative()),
  })
  .strict();
export type JilParseStats = z.infer<typeof JilParseStats>;

export const JilParseResult = z
  .object({
    /** Jobs in file order of their (last) insert. */
    jobs: z.array(JilJob),
    objects: z.array(JilObject),
    overrides: z.array(JilOverride),
    deleted: z.array(JilDeletion),
    warnings: z.array(JilWarning),
    errors: z.array(JilError),
    stats: JilParseStats,
  })
  .strict();
export type JilParseResult = z.infer<typeof JilParseResult>;

export const JilParseOptions = z
  .object({
    /**
     * Stop collecting warnings after this many (a count of the rest is added as one last warning).
     * Default 10 000.
     */
    maxWarnings: z.number().int().positive().optional(),
  })
  .strict();
export type JilParseOptions = z.infer<typeof JilParseOptions>;
