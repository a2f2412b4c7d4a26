/**
 * `dataops-agent/client`: the HTTP client of the DataOps API for services, typed from the API's
 * OpenAPI document. See README "From a service".
 */
export {
  DataOpsClient,
  createClient,
  type Artifact,
  type ArtifactPage,
  type Checkpoint,
  type ClientOptions,
  type CreateSessionRequest,
  type FlowView,
  type IdempotentOptions,
  type Job,
  type MessageAccepted,
  type MessagePage,
  type MessageRequest,
  type QueryOf,
  type RequestOf,
  type ResponseOf,
  type RunAccepted,
  type RunRequest,
  type Session,
  type SessionPage,
  type UploadOptions,
  type Workflows,
} from './client.js';
export { API_ERROR_CODES, errorFromResponse, type ApiErrorCode } from './api-errors.js';
export type { EventStream, WireEvent } from './event-stream.js';
export type { RetryOptions } from './retry.js';
export type { TransportOptions } from './transport.js';
export type { UploadSource } from './upload-source.js';
export type { WaitForJobOptions } from './wait-for-job.js';
export type { components, operations, paths } from './openapi-types.js';
export * from './error-classes.js';
