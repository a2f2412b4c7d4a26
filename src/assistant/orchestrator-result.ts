import { z } from 'zod';

/** What a message's orchestrator job returns (the `result` of `GET /v1/jobs/msg-…`). */
export const OrchestratorResult = z
  .object({
    /** The assistant's reply, as stored in the session. */
    reply: z.string(),
    /** Id of the reply message in the session. */
    replyMessageId: z.string(),
    /**
     * `ran`: a run completed and the reply reports it; `failed`: the run failed (the reply names the
     * step and the cause); `asked`: the assistant asked for missing parameters; `unknown`: the
     * request matched nothing it can do (the reply lists what it can).
     */
    outcome: z.enum(['ran', 'failed', 'asked', 'unknown']),
    /** Workflow or chain that ran (or was asked about), if any. */
    workflow: z.string().nullable(),
    /** Artifacts the run created. */
    artifacts: z.array(z.string()),
    /** The run's id, when one started. */
    runId: z.string().nullable(),
  })
  .strict();
export type OrchestratorResult = z.infer<typeof OrchestratorResult>;
