/**
 * `npm start`: the whole product in one process — the API, every worker family and the expiry
 * schedulers — on embedded storage unless AWS endpoints are configured. Redis comes from REDIS_URL
 * (a local redis-server is started when none answers). It never runs unauthenticated: with no keys
 * configured it generates a development key and prints it once.
 */
import type { Config } from '../src/config.js';
import { ConfigError } from '../src/errors/config-error.js';
import { writeAfterLogs } from '../src/logger.js';
import { allQueueNames } from '../src/runtime/workers.js';
import { withDevelopmentKey, type DevelopmentKey } from '../producers/dev-key.js';
import { assertPortFree } from '../producers/port-check.js';
import { startServer, type RunningServer } from '../producers/server.js';
import { startBanner } from './start-banner.js';
import { runWorkerProcess } from './run-process.js';

let devKey: DevelopmentKey | undefined;
let server: RunningServer | undefined;

async function prepare(config: Config): Promise<Config> {
  // before anything writes to Redis: a taken port is a one-line error, not a stack trace
  await assertPortFree(config.http.host, config.http.port);
  const a = config.auth;
  if (a.apiKeys.length || a.jwtSecret || a.jwksUrl) return config;
  if (config.env === 'production') {
    throw new ConfigError('No authentication configured: set DATAOPS_API_KEYS, DATAOPS_JWT_SECRET or DATAOPS_JWKS_URL');
  }
  const dev = await withDevelopmentKey(config);
  devKey = dev.devKey;
  return dev.config;
}

await runWorkerProcess('dataops', allQueueNames, {
  prepare,
  afterStart: async (rt, log) => {
    const srv = await startServer(rt, { log });
    server = srv;
    return () => srv.close();
  },
  // printed last, after the start-up log lines, so it is the first thing a newcomer reads
  ready: (rt) => {
    if (server) writeAfterLogs(rt.log, startBanner({ url: server.url, config: rt.config, llm: rt.llm.kind, ...(devKey ? { devKey } : {}) }));
  },
});
