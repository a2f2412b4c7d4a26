import { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Config } from '../config.js';
import { ContextManager } from '../context/context-manager.js';
import { createServices, type Services } from '../infra/services.js';
import { createLlm } from '../llm/create-llm.js';
import type { LlmClient } from '../llm/llm.js';
import type { Logger } from '../logger.js';
import { Producer } from '../client/producer.js';
import { SessionManager } from '../sessions/session-manager.js';
import { registerBuiltins } from '../workflows/builtin/index.js';
import { WorkflowRegistry } from '../workflows/registry.js';

/** Everything a process (API or worker) uses, built once from the config. */
export interface Runtime {
  config: Config;
  log: Logger;
  services: Services;
  sessions: SessionManager;
  artifacts: ArtifactStore;
  context: ContextManager;
  llm: LlmClient;
  registry: WorkflowRegistry;
  producer: Producer;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Workflows to use instead of the built-ins (tests, embedders). Default: the built-ins. */
  registry?: WorkflowRegistry;
  /** An LLM client to use instead of the one the config selects. */
  llm?: LlmClient;
  /** Existing services to reuse (their owner closes them). Default: created from the config. */
  services?: Services;
}

export async function createRuntime(config: Config, log: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const services = options.services ?? (await createServices(config, log.child({ component: 'infra' })));
  const sessions = new SessionManager({
    services,
    ttlHours: config.sessions.ttlHours,
    cacheMessages: config.sessions.cacheMessages,
    cacheMaxBytes: config.sessions.cacheMaxBytes,
    allowedModels: config.llm.models,
    log: log.child({ component: 'sessions' }),
  });
  const artifacts = new ArtifactStore({
    services,
    ttlDays: config.artifacts.ttlDays,
    maxBytes: config.artifacts.maxBytes,
    multipartMaxAgeMs: config.artifacts.multipartMaxAgeMs,
    log: log.child({ component: 'artifacts' }),
    // tenant views (every node's store) resolve a session's owner through the session manager
    sessionOwner: async (sessionId) => (await sessions.getOrNull(sessionId))?.userId ?? null,
  });
  const llm = options.llm ?? createLlm(config.llm, log.child({ component: 'llm' }));
  const context = new ContextManager({
    services,
    sessions,
    artifacts,
    llm,
    promptCacheTtlMs: config.sessions.ttlHours * 3600_000,
    maxSnapshotBytes: config.artifacts.snapshotMaxBytes,
    log: log.child({ component: 'context' }),
  });
  const registry = options.registry ?? registerBuiltins(new WorkflowRegistry());
  const producer = new Producer({ services, config, registry, sessions, artifacts, log: log.child({ component: 'producer' }) });
  return {
    config,
    log,
    services,
    sessions,
    artifacts,
    context,
    llm,
    registry,
    producer,
    close: async () => {
      await producer.close();
      if (!options.services) await services.close();
    },
  };
}
