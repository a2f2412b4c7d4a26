import type { Config } from '../src/config.js';
import type { DevelopmentKey } from '../producers/dev-key.js';

export interface BannerInput {
  /** The API's base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  config: Config;
  /** Which LLM client routes messages. */
  llm: 'anthropic' | 'offline';
  /** The generated development key, when no authentication is configured. */
  devKey?: DevelopmentKey;
}

/** The block `npm start` prints once everything is up: where things are and how to get in. */
export function startBanner(b: BannerInput): string {
  const { config, url } = b;
  const rule = '─'.repeat(72);
  const keyFile = b.devKey?.file ?? `${config.storage.dataDir}/dev-api-key`;
  const lines = [
    '',
    rule,
    'DataOps Agent is running',
    '',
    `  Web app      ${url}/           (sign in with an API key, e.g. the development key below)`,
    `  API          ${url}/v1        (OpenAPI: ${url}/openapi.json)`,
    `  Bull Board   ${url}/admin/queues   (admins; browsers sign in at ${url}/admin/login)`,
    `  Storage      ${config.storage.embedded ? `embedded (dynalite + s3rver) under ${config.storage.dataDir}` : 'DynamoDB + S3 as configured'}`,
    `  LLM          ${b.llm === 'anthropic' ? 'Anthropic Messages API' : 'offline router (set ANTHROPIC_API_KEY for the Anthropic API)'}`,
    `  Queues       prefix "${config.redis.queuePrefix}" (DATAOPS_QUEUE_PREFIX; give each instance on one Redis its own)`,
  ];
  if (b.devKey) {
    const admin = config.auth.adminUsers.includes(b.devKey.userId);
    lines.push(
      '',
      b.devKey.created
        ? `  Development API key (user "${b.devKey.userId}"${admin ? ', an admin key' : ''}; shown once, kept in ${b.devKey.file}):`
        : `  Development API key (user "${b.devKey.userId}"${admin ? ', an admin key' : ''}): the one in ${b.devKey.file}`,
    );
    if (b.devKey.created) lines.push(`    ${b.devKey.key}`);
  }
  lines.push(
    '',
    '  Authenticate with  Authorization: Bearer <key>, e.g.',
    `    curl -H "Authorization: Bearer $(cat ${keyFile})" ${url}/v1/workflows`,
    rule,
    '',
  );
  return lines.join('\n') + '\n';
}
