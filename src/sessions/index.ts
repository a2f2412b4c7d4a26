export * from './session.js';
export * from './message.js';
export { formatContextSummary } from './context-summary.js';
export { sessionCacheKey, messagesCacheKey } from './session-cache.js';
export {
  SessionManager,
  ListMessagesOptions,
  ListUserSessionsOptions,
  type SessionManagerOptions,
  type UpdateOptions,
  type Page,
} from './session-manager.js';
