import { AppError } from './app-error.js';

/** Too many requests for one user and route class; `retryAfterSeconds` becomes `Retry-After`. */
export class RateLimitError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, options?: { cause?: unknown; details?: unknown }) {
    super('rate_limited', message, options);
    this.name = 'RateLimitError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
