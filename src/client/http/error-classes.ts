/**
 * The error classes a client of the API can catch: the ones the server throws (an error answer is
 * turned back into its class, see api-errors.ts) plus the transport's own (timeout, unreachable).
 */
export {
  AppError,
  AuthError,
  ConflictError,
  CycleError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UnreachableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../errors/index.js';
