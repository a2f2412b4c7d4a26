import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { AnthropicLlm } from './anthropic.js';
import type { LlmClient } from './llm.js';
import { OfflineLlm } from './offline-router.js';

/** The LLM the config asks for: the Anthropic Messages API when a key is set, else the offline router. */
export function createLlm(config: Config['llm'], log?: Logger): LlmClient {
  if (config.apiKey) {
    log?.info({ model: config.model, baseUrl: config.baseUrl ?? 'default' }, 'LLM: Anthropic Messages API');
    return new AnthropicLlm({ apiKey: config.apiKey, baseURL: config.baseUrl, model: config.model, log });
  }
  log?.info('LLM: offline router (no ANTHROPIC_API_KEY)');
  return new OfflineLlm();
}
