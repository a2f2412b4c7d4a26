import { AppError } from './app-error.js';

export class ForbiddenError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('forbidden', message, options);
    this.name = 'ForbiddenError';
  }
}
