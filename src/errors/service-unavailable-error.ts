import { AppError } from './app-error.js';

export class ServiceUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('service_unavailable', message, options);
    this.name = 'ServiceUnavailableError';
  }
}
