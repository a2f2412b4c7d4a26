import { AppError, AuthError, ForbiddenError, InternalError, NotFoundError, ServiceUnavailableError, TimeoutError, ValidationError } from '../../errors/index.js';

/** Exit codes of `dataops`, stable for scripts. */
export const EXIT = {
  ok: 0,
  /** The job ran and failed (or the assistant could not do it, or no reply came in time). */
  jobFailed: 1,
  /** Bad command line or a request the server refused as invalid (400, 409, 413, 415, 429). */
  usage: 2,
  /** No token, or the server refused it (401, 403). */
  auth: 3,
  /** The session, artifact or job does not exist (or is not yours). */
  notFound: 4,
  /** The server could not be reached or answered 5xx. */
  unreachable: 5,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A job that finished badly: exit 1. */
export class JobFailedError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('job_failed', message, options);
    this.name = 'JobFailedError';
  }
}

/** The exit code for an error thrown by a command (one place decides). */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof JobFailedError || err instanceof TimeoutError) return EXIT.jobFailed;
  if (err instanceof AuthError || err instanceof ForbiddenError) return EXIT.auth;
  if (err instanceof NotFoundError) return EXIT.notFound;
  if (err instanceof ServiceUnavailableError || err instanceof InternalError) return EXIT.unreachable;
  if (err instanceof ValidationError || err instanceof AppError) return EXIT.usage;
  return EXIT.unreachable;
}
