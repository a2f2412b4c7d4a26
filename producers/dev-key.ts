import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../src/config.js';

/** User id of the generated development key (also made an admin when no admins are configured). */
export const DEV_USER = 'dev';

export interface DevelopmentKey {
  userId: string;
  key: string;
  /** Where it is kept (mode 0600), so the next start reuses it. */
  file: string;
  /** True when this call generated it (print it once); false when it was read back. */
  created: boolean;
}

/**
 * The API never runs without authentication. When no API key, JWT secret or JWKS URL is configured
 * (a local `npm start`), this returns a config with a development key: generated once into
 * `<dataDir>/dev-api-key` and reused afterwards. Returns the config unchanged (and no key) when
 * authentication is configured. Callers print the key when `created` is true.
 */
export async function withDevelopmentKey(config: Config): Promise<{ config: Config; devKey: DevelopmentKey | undefined }> {
  const a = config.auth;
  if (a.apiKeys.length > 0 || a.jwtSecret || a.jwksUrl) return { config, devKey: undefined };
  const file = join(config.storage.dataDir, 'dev-api-key');
  let key: string | undefined;
  let created = false;
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (/^[A-Za-z0-9_-]{20,200}$/.test(stored)) key = stored;
  } catch {
    // not there yet
  }
  if (!key) {
    key = `dok_${randomBytes(24).toString('base64url')}`;
    await mkdir(config.storage.dataDir, { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600 });
    created = true;
  }
  return {
    config: {
      ...config,
      auth: { ...a, apiKeys: [{ userId: DEV_USER, key }], adminUsers: a.adminUsers.length ? a.adminUsers : [DEV_USER] },
    },
    devKey: { userId: DEV_USER, key, file, created },
  };
}
