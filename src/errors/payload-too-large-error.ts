import { AppError } from './app-error.js';

export class PayloadTooLargeError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('payload_too_large', message, options);
    this.name = 'PayloadTooLargeError';
  }
}
