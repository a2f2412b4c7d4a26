import { AppError } from './app-error.js';

/** A request body whose Content-Type the route does not accept. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super('unsupported_media_type', message, options);
    this.name = 'UnsupportedMediaTypeError';
  }
}
