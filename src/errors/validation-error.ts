import { AppError } from './app-error.js';

export class ValidationError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('validation_error', message, options);
    this.name = 'ValidationError';
  }
}
