import { z } from 'zod';

/** The job statuses a condition atom can test. */
export const JilStatus = z.enum(['success', 'failure', 'terminated', 'done', 'notrunning']);
export type JilStatus = z.infer<typeof JilStatus>;

/** Comparison operators of `exitcode(...)` and `value(...)` atoms. */
export const JilCompareOp = z.enum(['=', '!=', '<', '<=', '>', '>=']);
export type JilCompareOp = z.infer<typeof JilCompareOp>;

/** `s(JOB)`, `f(JOB^PRD)`, `d(JOB, 02.30)`, … */
export const JilStatusAtom = z
  .object({
    kind: z.literal('status'),
    status: JilStatus,
    job: z.string(),
    /** External instance of a cross-instance reference (`JOB^PRD` → `PRD`). */
    instance: z.string().optional(),
    /** Lookback in minutes (`02.30` → 150, `0` → 0). */
    lookbackMinutes: z.number().int().nonnegative().optional(),
  })
  .strict();
export type JilStatusAtom = z.infer<typeof JilStatusAtom>;

/** `e(JOB) > 4`, `exitcode(JOB^PRD) != 0`. */
export const JilExitCodeAtom = z
  .object({
    kind: z.literal('exitcode'),
    job: z.string(),
    instance: z.string().optional(),
    lookbackMinutes: z.number().int().nonnegative().optional(),
    op: JilCompareOp,
    value: z.number().int(),
  })
  .strict();
export type JilExitCodeAtom = z.infer<typeof JilExitCodeAtom>;

/** `v(GLOBAL_VAR) = "ready"` — a global variable test. */
export const JilValueAtom = z
  .object({
    kind: z.literal('value'),
    name: z.string(),
    instance: z.string().optional(),
    op: JilCompareOp,
    value: z.string(),
  })
  .strict();
export type JilValueAtom = z.infer<typeof JilValueAtom>;

export type JilConditionAtom = JilStatusAtom | JilExitCodeAtom | JilValueAtom;

/** A condition AST node. `and`/`or` are n-ary and flattened (`a & b & c` is one `and`). */
export type JilConditionNode =
  | JilConditionAtom
  | { kind: 'and'; operands: JilConditionNode[] }
  | { kind: 'or'; operands: JilConditionNode[] };

export const JilConditionNode: z.ZodType<JilConditionNode> = z.lazy(() =>
  z.union([
    JilStatusAtom,
    JilExitCodeAtom,
    JilValueAtom,
    z.object({ kind: z.literal('and'), operands: z.array(JilConditionNode).min(2) }).strict(),
    z.object({ kind: z.literal('or'), operands: z.array(JilConditionNode).min(2) }).strict(),
  ]),
);

/** One job dependency extracted from a condition (status and exit-code atoms). */
export const JilDependency = z
  .object({
    /** The upstream job. */
    job: z.string(),
    /** The status the condition waits for; `exitcode` for `e(JOB) op N` atoms. */
    status: z.enum(['success', 'failure', 'terminated', 'done', 'notrunning', 'exitcode']),
    instance: z.string().optional(),
    lookbackMinutes: z.number().int().nonnegative().optional(),
    /** Only for `exitcode`. */
    op: JilCompareOp.optional(),
    /** Only for `exitcode`. */
    value: z.number().int().optional(),
  })
  .strict();
export type JilDependency = z.infer<typeof JilDependency>;

/** A global-variable test found in a condition. */
export const JilVariableRef = z
  .object({ name: z.string(), instance: z.string().optional(), op: JilCompareOp, value: z.string() })
  .strict();
export type JilVariableRef = z.infer<typeof JilVariableRef>;

/** A job's condition: the text as written and its AST. */
export const JilCondition = z.object({ raw: z.string(), ast: JilConditionNode }).strict();
export type JilCondition = z.infer<typeof JilCondition>;
