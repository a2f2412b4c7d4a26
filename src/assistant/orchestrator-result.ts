import { z } from 'zod';

/** How a message ended (see OrchestratorResult.outcome). */
export const MessageOutcome = z.enum(['succeeded', 'failed', 'asked', 'answered']);
export type MessageOutcome = z.infer<typeof MessageOutcome>;

/** What a message's orchestrator job returns (the `result` of `GET /v1/jobs/msg-…`). */
export const OrchestratorResult = z
  .object({
    /** The assistant's reply, as stored in the session. */
    reply: z.string(),
    /** Id of the reply message in the session. */
    replyMessageId: z.string(),
    /**
     * How the message ended: `succeeded` (its run finished; the reply reports it), `failed` (its run
     * failed or was cancelled; the reply names the step, the cause and what to do), `asked` (a
     * question for missing parameters, or for a file of the kind a step needs), `answered` (a reply
     * without a run: the capability list, or why the request is out of scope).
     */
    outcome: MessageOutcome,
    /** The first workflow or chain the message asked for (or was asked about), if any. */
    workflow: z.string().nullable(),
    /** Every workflow of the run in the order its steps run, inserted prerequisites included ([] without a run). */
    workflows: z.array(z.string()),
    /** Artifacts the run created. */
    artifacts: z.array(z.string()),
    /** The run's id, when one started. */
    runId: z.string().nullable(),
  })
  .strict();
export type OrchestratorResult = z.infer<typeof OrchestratorResult>;
