// The HTTP-only errors live in src/errors/ (the HTTP client throws them too); re-exported for the API's modules.
export { RateLimitError } from '../src/errors/rate-limit-error.js';
export { UnsupportedMediaTypeError } from '../src/errors/unsupported-media-type-error.js';
