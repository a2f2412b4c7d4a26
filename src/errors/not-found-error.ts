import { AppError } from './app-error.js';

export class NotFoundError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('not_found', message, options);
    this.name = 'NotFoundError';
  }
}
