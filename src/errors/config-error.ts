import { AppError } from './app-error.js';

export class ConfigError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('config_error', message, options);
    this.name = 'ConfigError';
  }
}
