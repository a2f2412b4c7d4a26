/**
 * `npm start`: the whole product in one process — the API, every worker family and the expiry
 * schedulers — on embedded storage unless AWS endpoints are configured. Redis comes from REDIS_URL
 * (a local redis-server is started when none answers). It never runs unauthenticated: with no keys
 * configured it generates a development key and prints it once.
 */
import { ConfigError } from '../src/errors/config-error.js';
import { QUEUE } from '../src/runtime/queues.js';
import { withDevelopmentKey } from '../producers/dev-key.js';
import { startServer } from '../producers/server.js';
import { runWorkerProcess } from './run-process.js';

let devKeyNote = '';

await runWorkerProcess('dataops', [QUEUE.orchestrator, QUEUE.nodes, QUEUE.flows, QUEUE.maintenance], {
  prepare: async (config) => {
    const a = config.auth;
    if (a.apiKeys.length || a.jwtSecret || a.jwksUrl) return config;
    if (config.env === 'production') {
      throw new ConfigError('No authentication configured: set DATAOPS_API_KEYS, DATAOPS_JWT_SECRET or DATAOPS_JWKS_URL');
    }
    const dev = await withDevelopmentKey(config);
    if (dev.devKey) {
      devKeyNote = dev.devKey.created
        ? `  Development API key (shown once; kept in ${dev.devKey.file}):\n    ${dev.devKey.key}\n`
        : `  Development API key: the one in ${dev.devKey.file}\n`;
    }
    return dev.config;
  },
  afterStart: async (rt, log) => {
    const srv = await startServer(rt, { log });
    process.stdout.write(
      [
        '',
        `DataOps Agent is running`,
        `  API:        ${srv.url}/v1   (OpenAPI: ${srv.url}/openapi.json)`,
        `  Bull Board: ${srv.url}/admin/queues   (admin users only)`,
        `  Storage:    ${rt.config.storage.embedded ? `embedded (dynalite + s3rver) under ${rt.config.storage.dataDir}` : 'DynamoDB + S3 as configured'}`,
        `  LLM:        ${rt.llm.kind === 'anthropic' ? 'Anthropic Messages API' : 'offline router (set ANTHROPIC_API_KEY for the Anthropic API)'}`,
        devKeyNote.trimEnd(),
        `  Authenticate with: Authorization: Bearer <key>   e.g.  curl -H "Authorization: Bearer $(cat ${rt.config.storage.dataDir}/dev-api-key)" ${srv.url}/v1/workflows`,
        '',
      ]
        .filter((l) => l !== '')
        .join('\n') + '\n',
    );
    return () => srv.close();
  },
});
