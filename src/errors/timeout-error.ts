import { AppError } from './app-error.js';

/** Waiting for something (a job to finish) took longer than the caller allowed; the work itself may go on. */
export class TimeoutError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('timeout', message, options);
    this.name = 'TimeoutError';
  }
}
