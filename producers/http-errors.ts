import { AppError } from '../src/errors/app-error.js';

/** Too many requests for one user and route class; `retryAfterSeconds` becomes `Retry-After`. */
export class RateLimitError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, options?: { cause?: unknown; details?: unknown }) {
    super('rate_limited', message, options);
    this.name = 'RateLimitError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A request body whose Content-Type the route does not accept. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('unsupported_media_type', message, options);
    this.name = 'UnsupportedMediaTypeError';
  }
}
