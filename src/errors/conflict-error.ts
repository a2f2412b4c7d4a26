import { AppError } from './app-error.js';

export class ConflictError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('conflict', message, options);
    this.name = 'ConflictError';
  }
}
