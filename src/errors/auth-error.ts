import { AppError } from './app-error.js';

export class AuthError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('unauthorized', message, options);
    this.name = 'AuthError';
  }
}
