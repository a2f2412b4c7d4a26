/**
 * Base class of every error this project throws on purpose. `code` is a stable machine-readable
 * string; the API maps each subclass to an HTTP status in one place (producers/error-handler.ts).
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }
}
