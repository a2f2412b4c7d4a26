import { ServiceUnavailableError } from './service-unavailable-error.js';

/**
 * The server could not be reached at all (connection refused or reset, DNS, timeout): unlike a 503,
 * nobody answered. A ServiceUnavailableError, so code that handles outages handles this too.
 */
export class UnreachableError extends ServiceUnavailableError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options);
    this.name = 'UnreachableError';
  }
}
