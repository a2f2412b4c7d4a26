import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { errors as joseErrors } from 'jose';
import type { Config } from '../src/config.js';
import { AuthError } from '../src/errors/auth-error.js';
import { ForbiddenError } from '../src/errors/forbidden-error.js';
import { authThrottleKey } from './rate-limit.js';

/** Who made a request. */
export interface Principal {
  userId: string;
  /** Named in `DATAOPS_ADMIN_USERS`. */
  admin: boolean;
  /** How the caller proved it. */
  via: 'api-key' | 'jwt' | 'admin-cookie';
  /** When the credential stops being valid (a JWT's `exp`), in ms since the epoch; unset = never. */
  expiresAtMs?: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `requireAuth` once the bearer token is verified. */
      principal?: Principal;
    }
  }
}

/** User ids taken from a JWT `sub`: they become parts of keys, so a conservative alphabet. */
const USER_ID = /^[A-Za-z0-9_.@:+-]{1,200}$/;
/** Three base64url segments: looks like a compact JWS. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export interface AuthenticatorOptions {
  /** Key resolver for asymmetric JWTs. Default: `createRemoteJWKSet(auth.jwksUrl)` when a JWKS URL is configured. */
  jwks?: JWTVerifyGetKey;
  /** Seconds of clock skew tolerated on `exp`/`nbf`. Default 5. */
  clockToleranceSeconds?: number;
}

/**
 * Verifies bearer tokens: API keys from config (kept only as SHA-256 hashes, compared in constant
 * time against every stored hash) and JWTs (HS256 with the configured secret, or asymmetric via a
 * JWKS; `exp` and `sub` required; issuer and audience checked when configured).
 */
export class Authenticator {
  private readonly keys: { hash: Buffer; userId: string }[];
  private readonly admins: ReadonlySet<string>;
  private readonly secret: Uint8Array | undefined;
  private readonly jwks: JWTVerifyGetKey | undefined;
  private readonly issuer: string | undefined;
  private readonly audience: string | undefined;
  private readonly tolerance: number;

  constructor(auth: Config['auth'], options: AuthenticatorOptions = {}) {
    this.keys = auth.apiKeys.map((k) => ({ hash: sha256(k.key), userId: k.userId }));
    this.admins = new Set(auth.adminUsers);
    this.secret = auth.jwtSecret ? new TextEncoder().encode(auth.jwtSecret) : undefined;
    this.jwks = options.jwks ?? (auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined);
    this.issuer = auth.jwtIssuer;
    this.audience = auth.jwtAudience;
    this.tolerance = options.clockToleranceSeconds ?? 5;
  }

  /** True when at least one way to authenticate is configured. */
  get configured(): boolean {
    return this.keys.length > 0 || this.secret !== undefined || this.jwks !== undefined;
  }

  isAdmin(userId: string): boolean {
    return this.admins.has(userId);
  }

  /** Resolves the principal of a bearer token, or throws AuthError (never saying which part failed for keys). */
  async verify(token: string): Promise<Principal> {
    const userId = this.matchApiKey(token);
    if (userId !== undefined) return { userId, admin: this.isAdmin(userId), via: 'api-key' };
    if (JWT_SHAPE.test(token) && (this.secret || this.jwks)) return this.verifyJwt(token);
    throw new AuthError('Invalid credentials');
  }

  /** Compares the token's hash with every stored hash (no early exit), so timing says nothing. */
  private matchApiKey(token: string): string | undefined {
    const presented = sha256(token);
    let found: string | undefined;
    for (const k of this.keys) {
      if (timingSafeEqual(presented, k.hash) && found === undefined) found = k.userId;
    }
    return found;
  }

  private async verifyJwt(token: string): Promise<Principal> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthError('Invalid credentials');
    }
    const common = {
      ...(this.issuer ? { issuer: this.issuer } : {}),
      ...(this.audience ? { audience: this.audience } : {}),
      requiredClaims: ['exp', 'sub'],
      clockTolerance: this.tolerance,
    };
    try {
      let payload;
      if (alg === 'HS256' && this.secret) {
        ({ payload } = await jwtVerify(token, this.secret, { ...common, algorithms: ['HS256'] }));
      } else if (alg !== undefined && ASYMMETRIC_ALGS.includes(alg) && this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks, { ...common, algorithms: ASYMMETRIC_ALGS }));
      } else {
        throw new AuthError('Invalid credentials');
      }
      const sub = payload.sub;
      if (typeof sub !== 'string' || !USER_ID.test(sub)) throw new AuthError('Invalid credentials: unusable subject');
      return { userId: sub, admin: this.isAdmin(sub), via: 'jwt', ...(typeof payload.exp === 'number' ? { expiresAtMs: payload.exp * 1000 } : {}) };
    } catch (err) {
      if (err instanceof AuthError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new AuthError('Token expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw new AuthError(`Token rejected: ${err.claim} claim check failed`);
      throw new AuthError('Invalid credentials');
    }
  }
}

/** The token of `Authorization: Bearer <token>`, or AuthError when absent or malformed. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') throw new AuthError('Missing Authorization header: send Authorization: Bearer <token>');
  const m = /^Bearer[ ]+([\x21-\x7e]{1,4096})\s*$/i.exec(header);
  if (!m) throw new AuthError('Malformed Authorization header: expected Bearer <token>');
  return m[1]!;
}

/**
 * Called before verifying a credential (to refuse one that failed too often) and after a failure.
 * `key` is `authThrottleKey(clientIp, presentedCredential)`.
 */
export interface AuthFailureGuard {
  check(key: string): Promise<void>;
  record(key: string): Promise<void>;
}

/** Middleware: verifies the bearer token and sets `req.principal`. */
export function requireAuth(authn: Authenticator, guard?: AuthFailureGuard): RequestHandler {
  return async (req, _res, next) => {
    const key = authThrottleKey(req.ip ?? req.socket.remoteAddress ?? 'unknown', req.headers.authorization);
    if (guard) await guard.check(key);
    try {
      req.principal = await authn.verify(bearerToken(req.headers.authorization));
    } catch (err) {
      if (err instanceof AuthError && guard) await guard.record(key);
      throw err;
    }
    next();
  };
}

/** Middleware after authentication: only admins pass (403 otherwise). */
export const requireAdminPrincipal: RequestHandler = (req, _res, next) => {
  if (!req.principal) throw new AuthError('Authentication required');
  if (!req.principal.admin) throw new ForbiddenError('Admin access required');
  next();
};

/** The principal set by `requireAuth`; throws if a route forgot the middleware. */
export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw new AuthError('Authentication required');
  return req.principal;
}
