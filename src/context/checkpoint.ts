import { z } from 'zod';

/** A checkpoint label: 1-64 of letters, digits, `_ . -`. */
export const CheckpointLabel = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 characters of letters, digits, _ . -');
export type CheckpointLabel = z.infer<typeof CheckpointLabel>;

/** A named point a session can be restored to (checkpoints table: partition sessionId, sort label). */
export const Checkpoint = z
  .object({
    label: CheckpointLabel,
    /** The context snapshot's artifact id. */
    snapshotId: z.string(),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type Checkpoint = z.infer<typeof Checkpoint>;

/** Options of `ContextManager.createCheckpoint`. */
export const CheckpointOptions = z
  .object({
    /** Replace an existing checkpoint of the same label (its snapshot is deleted). Default false: ConflictError. */
    overwrite: z.boolean().default(false),
  })
  .strict();
export type CheckpointOptions = z.input<typeof CheckpointOptions>;
