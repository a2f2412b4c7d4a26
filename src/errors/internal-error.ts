import { AppError } from './app-error.js';

/** The server failed in a way it does not explain (HTTP 500 `internal_error`); `details` may carry its request id. */
export class InternalError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('internal_error', message, options);
    this.name = 'InternalError';
  }
}
