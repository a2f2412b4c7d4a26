import { z } from 'zod';

/** Options of `update` / `updateWith`. */
export interface UpdateOptions {
  /** Set `lastActive` to now (counts as activity). Default true; maintenance jobs pass false. */
  touch?: boolean;
  /**
   * Apply only if the session is still at this version (the one the caller read and decided on);
   * otherwise a ConflictError, and nothing is written. Default: re-apply on the fresh session.
   */
  ifVersion?: number;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

export const ListMessagesOptions = z
  .object({
    /** Page size. Default 50, at most 500. */
    limit: z.number().int().min(1).max(500).default(50),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).optional(),
  })
  .strict();
export type ListMessagesOptions = z.input<typeof ListMessagesOptions>;

export const ListUserSessionsOptions = z
  .object({
    /** Only sessions with status `active`. Default false: every session that is not deleted, expired ones included (a message reactivates them). */
    activeOnly: z.boolean().default(false),
    /** Page size. Default 20, at most 100. */
    limit: z.number().int().min(1).max(100).default(20),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).optional(),
  })
  .strict();
export type ListUserSessionsOptions = z.input<typeof ListUserSessionsOptions>;
