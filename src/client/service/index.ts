/**
 * `dataops-agent/producer`: for trusted services in the same network as the instance. Enqueues
 * messages and runs straight onto the BullMQ queues through the API's own request path (validation,
 * tenancy, planning, idempotency) and reads job status. See README "From a service" and docs/job-contract.md.
 */
export { createProducer, type CreateProducerOptions } from './create-producer.js';
export { ServiceProducer, UserProducer, type ProducerWaitOptions, type StoreOptions } from './service-producer.js';
export type { FileSource } from './file-source.js';
export { Producer, type ProducerOptions } from '../producer.js';
export type { EnqueueMessageInput, EnqueueMessageResult, EnqueueResult, EnqueueRunInput, FlowView, JobState, JobStatus } from '../producer-api.js';
export type { ArtifactView } from '../artifact-view.js';
export { IdempotencyKey, MessageRequest, submitMessage, submitRun } from '../requests.js';
export { QUEUE, type QueueName } from '../../runtime/queues.js';
export { loadConfig, type Config } from '../../config.js';
export {
  AppError,
  AuthError,
  ConfigError,
  ConflictError,
  CycleError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TimeoutError,
  ValidationError,
} from '../../errors/index.js';
