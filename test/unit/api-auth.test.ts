import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AuthError } from '../../src/errors/index.js';
import { Authenticator, bearerToken } from '../../producers/auth.js';

const SECRET = 'unit-test-secret-unit-test-secret-0123';
const config = loadConfig({
  NODE_ENV: 'test',
  DATAOPS_API_KEYS: 'alice:key-alice-123,bob:key-bob-456',
  DATAOPS_ADMIN_USERS: 'bob',
  DATAOPS_JWT_SECRET: SECRET,
  DATAOPS_JWT_ISSUER: 'https://issuer.test',
  DATAOPS_JWT_AUDIENCE: 'dataops',
});
const authn = new Authenticator(config.auth);
const hs = (claims: { sub?: string; iss?: string; aud?: string; exp?: number | string | null }) => {
  let j = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (claims.sub !== undefined) j = j.setSubject(claims.sub);
  j = j.setIssuer(claims.iss ?? 'https://issuer.test').setAudience(claims.aud ?? 'dataops');
  if (claims.exp !== null) j = j.setExpirationTime(claims.exp ?? '5m');
  return j.sign(new TextEncoder().encode(SECRET));
};

describe('bearerToken', () => {
  it('extracts the token and refuses other schemes or nothing', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   xyz')).toBe('xyz');
    expect(() => bearerToken(undefined)).toThrow(AuthError);
    expect(() => bearerToken('Basic dXNlcjpwYXNz')).toThrow(/Malformed/);
    expect(() => bearerToken('Bearer')).toThrow(AuthError);
    expect(() => bearerToken('Bearer a b')).toThrow(AuthError);
  });
});

describe('Authenticator: API keys', () => {
  it('maps a key to its user and marks admins', async () => {
    await expect(authn.verify('key-alice-123')).resolves.toEqual({ userId: 'alice', admin: false, via: 'api-key' });
    await expect(authn.verify('key-bob-456')).resolves.toEqual({ userId: 'bob', admin: true, via: 'api-key' });
  });
  it('refuses a wrong key, a prefix of a key, and an empty one, with one message', async () => {
    for (const bad of ['key-alice-124', 'key-alice-12', '', 'KEY-ALICE-123']) {
      await expect(authn.verify(bad)).rejects.toThrow(/^Invalid credentials$/);
    }
  });
  it('keeps no plaintext key in memory', () => {
    expect(JSON.stringify(authn, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v))).not.toContain('key-alice-123');
  });
});

describe('Authenticator: HS256 JWTs', () => {
  it('accepts a valid token and takes the user from sub', async () => {
    await expect(authn.verify(await hs({ sub: 'carol' }))).resolves.toEqual({ userId: 'carol', admin: false, via: 'jwt', expiresAtMs: expect.any(Number) });
  });
  it('refuses expired, wrong audience, wrong issuer, no exp, no sub, wrong secret', async () => {
    await expect(authn.verify(await hs({ sub: 'carol', exp: Math.floor(Date.now() / 1000) - 60 }))).rejects.toThrow('Token expired');
    await expect(authn.verify(await hs({ sub: 'carol', aud: 'other' }))).rejects.toThrow(/aud/);
    await expect(authn.verify(await hs({ sub: 'carol', iss: 'https://evil.test' }))).rejects.toThrow(/iss/);
    await expect(authn.verify(await hs({ sub: 'carol', exp: null }))).rejects.toThrow(AuthError);
    await expect(authn.verify(await hs({}))).rejects.toThrow(AuthError);
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('carol')
      .setIssuer('https://issuer.test')
      .setAudience('dataops')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('another-secret-another-secret-0123'));
    await expect(authn.verify(forged)).rejects.toThrow(/^Invalid credentials$/);
  });
  it('refuses an unsigned (alg none) token and a subject with unsafe characters', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'carol', exp: Math.floor(Date.now() / 1000) + 60, iss: 'https://issuer.test', aud: 'dataops' }),
    ).toString('base64url')}.`;
    await expect(authn.verify(none)).rejects.toThrow(AuthError);
    await expect(authn.verify(await hs({ sub: 'a/b c' }))).rejects.toThrow(/subject/);
  });
});

describe('Authenticator: JWKS', () => {
  it('verifies asymmetric tokens against the key set and refuses HS256 when no secret is set', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const cfg = loadConfig({ NODE_ENV: 'test', DATAOPS_JWKS_URL: 'https://keys.test/jwks.json' });
    const a = new Authenticator(cfg.auth, { jwks: createLocalJWKSet({ keys: [jwk] }) });
    const good = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('dave').setExpirationTime('1m').sign(privateKey);
    await expect(a.verify(good)).resolves.toMatchObject({ userId: 'dave', via: 'jwt' });
    const other = await generateKeyPair('ES256');
    const bad = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('dave').setExpirationTime('1m').sign(other.privateKey);
    await expect(a.verify(bad)).rejects.toThrow(AuthError);
    await expect(a.verify(await hs({ sub: 'carol' }))).rejects.toThrow(AuthError);
    expect(a.configured).toBe(true);
    expect(new Authenticator(loadConfig({ NODE_ENV: 'test' }).auth).configured).toBe(false);
  });
});
