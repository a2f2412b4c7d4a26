import { AppError } from './app-error.js';

export class CycleError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('cycle', message, options);
    this.name = 'CycleError';
  }
}
