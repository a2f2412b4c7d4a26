export * from './session.js';
export * from './message.js';
export { formatContextSummary } from './context-summary.js';
export { sessionCacheKey, messagesCacheKey } from './session-cache.js';
export { ListMessagesOptions, ListUserSessionsOptions, type Page, type UpdateOptions } from './list-options.js';
export { SessionManager, type SessionManagerOptions } from './session-manager.js';
