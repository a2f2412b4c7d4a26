import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors/config-error.js';

describe('configuration', () => {
  it('the README documents every environment variable the config reads, and no other', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Running against'));
    const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(EnvSchema.shape).sort());
  });

  it('names every bad variable without echoing secret values', () => {
    try {
      loadConfig({ PORT: 'eighty', DATAOPS_API_KEYS: 'alice-no-colon-secretvalue', REDIS_URL: 'not a url' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATAOPS_API_KEYS');
      expect(msg).toContain('REDIS_URL');
      expect(msg).not.toContain('secretvalue');
    }
  });

  it('defaults to embedded storage and bootstrap when nothing AWS is configured', () => {
    const c = loadConfig({});
    expect(c.storage.embedded).toBe(true);
    expect(c.storage.bootstrap).toBe(true);
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    const aws = loadConfig({ NODE_ENV: 'production', AWS_PROFILE: 'prod' });
    expect(aws.storage.embedded).toBe(false);
    expect(aws.storage.bootstrap).toBe(false);
    expect(loadConfig({ DATAOPS_API_KEYS: 'alice:k1, bob:k2' }).auth.apiKeys).toEqual([
      { userId: 'alice', key: 'k1' },
      { userId: 'bob', key: 'k2' },
    ]);
  });
});
