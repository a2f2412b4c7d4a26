import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RedisClient } from '../src/infra/redis.js';
import { AuthError } from '../src/errors/auth-error.js';
import { ForbiddenError } from '../src/errors/forbidden-error.js';
import { bearerToken, type Authenticator, type AuthFailureGuard, type Principal } from './auth.js';
import { authThrottleKey } from './rate-limit.js';

/** Cookie holding a browser's admin session id (HttpOnly, SameSite=Strict, Path=/admin). */
export const ADMIN_COOKIE = 'dataops_admin';

export interface AdminOptions {
  authn: Authenticator;
  guard?: AuthFailureGuard;
  redis: RedisClient;
  /** Prefix of the Redis keys of admin browser sessions (`<keyPrefix>admin:sess:<hash>`). */
  keyPrefix: string;
  queues: () => Queue[];
  /** Lifetime of a browser admin session, in seconds. Default 3600. */
  cookieTtlSeconds?: number;
}

const sessionKey = (prefix: string, id: string) => `${prefix}admin:sess:${createHash('sha256').update(id).digest('hex')}`;

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sign-in form; `error` is shown above it (a failed attempt shows the form again, not JSON). */
export function loginPage(error?: string): string {
  const alert = error ? `<p role="alert" style="color:#b00020"><strong>${escapeHtml(error)}</strong></p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>DataOps admin</title>
<meta name="robots" content="noindex"></head><body style="font-family:sans-serif;max-width:28rem;margin:4rem auto">
<h1>DataOps admin</h1><p>Paste an admin API key or token. It is sent once; the browser then keeps a short-lived HttpOnly session cookie.</p>
${alert}<form method="post" action="/admin/login"><label for="token">Admin API key or token</label>
<input id="token" type="password" name="token" autocomplete="off" required style="width:100%">
<p><button type="submit">Sign in</button></p></form></body></html>`;
}

/** A browser navigation (it prefers HTML), as opposed to an API client or curl. */
const wantsHtml = (req: Request) => req.accepts(['json', 'html']) === 'html' && /text\/html/.test(req.headers.accept ?? '');

/**
 * Everything under `/admin`: Bull Board (its UI and its API routes) for admins only. Admins prove
 * it with `Authorization: Bearer <token>`, or in a browser through `GET /admin/login` (a form that
 * POSTs the token once; the answer is an HttpOnly, SameSite=Strict cookie naming a random session
 * kept in Redis, so it works across API instances and never holds the token itself).
 */
export function adminRouter(options: AdminOptions): Router {
  const ttl = options.cookieTtlSeconds ?? 3600;
  const router = express.Router();
  router.use(
    helmet.contentSecurityPolicy({
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
        fontSrc: ["'self'", 'https://fonts.gstatic.com', 'data:'],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );

  router.get('/login', (_req, res) => {
    res.type('html').send(loginPage());
  });
  router.post('/login', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    const key = authThrottleKey(req.ip ?? 'unknown', token);
    if (options.guard) await options.guard.check(key);
    let who: Principal;
    try {
      if (!token) throw new AuthError('Missing token');
      who = await options.authn.verify(token);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (options.guard) await options.guard.record(key);
      res.status(401).type('html').send(loginPage('That key or token was not accepted. Check it and try again.'));
      return;
    }
    if (!who.admin) {
      res.status(403).type('html').send(loginPage(`User "${who.userId}" is not an admin (DATAOPS_ADMIN_USERS). Sign in with an admin key.`));
      return;
    }
    const id = randomBytes(32).toString('base64url');
    await options.redis.set(sessionKey(options.keyPrefix, id), who.userId, 'EX', ttl);
    res.cookie(ADMIN_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/admin', maxAge: ttl * 1000 });
    res.redirect(303, '/admin/queues');
  });
  router.post('/logout', async (req, res) => {
    const id = cookieValue(req, ADMIN_COOKIE);
    if (id) await options.redis.del(sessionKey(options.keyPrefix, id));
    res.clearCookie(ADMIN_COOKIE, { path: '/admin' });
    res.status(204).end();
  });

  const requireAdmin: RequestHandler = async (req, res, next) => {
    let who: Principal | undefined;
    if (req.headers.authorization !== undefined) {
      const key = authThrottleKey(req.ip ?? 'unknown', req.headers.authorization);
      if (options.guard) await options.guard.check(key);
      try {
        who = await options.authn.verify(bearerToken(req.headers.authorization));
      } catch (err) {
        if (err instanceof AuthError && options.guard) await options.guard.record(key);
        throw err;
      }
    } else {
      const id = cookieValue(req, ADMIN_COOKIE);
      const userId = id && /^[A-Za-z0-9_-]{20,100}$/.test(id) ? await options.redis.get(sessionKey(options.keyPrefix, id)) : null;
      if (userId) who = { userId, admin: options.authn.isAdmin(userId), via: 'admin-cookie' };
    }
    if (!who) {
      // a browser without a session cookie goes to the sign-in form; API clients get the JSON 401
      if (req.method === 'GET' && wantsHtml(req)) {
        res.redirect(303, '/admin/login');
        return;
      }
      throw new AuthError('Admin authentication required: Authorization: Bearer <token>, or sign in at /admin/login');
    }
    if (!who.admin) throw new ForbiddenError('Admin access required');
    req.principal = who;
    next();
  };

  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/admin/queues');
  // @bull-board/express pins its own copy of @bull-board/api, whose types differ only nominally
  type BoardAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];
  // With several queue partitions a name repeats (one `nodes` per partition): those get `p<i>:`.
  const queues = options.queues();
  const seen = new Map<string, number>();
  const adapters = queues.map((q) => {
    const i = seen.get(q.name) ?? 0;
    seen.set(q.name, i + 1);
    const repeated = queues.filter((x) => x.name === q.name).length > 1;
    return new BullMQAdapter(q, repeated ? { prefix: `p${i}:` } : {});
  });
  createBullBoard({ queues: adapters, serverAdapter: serverAdapter as unknown as BoardAdapter });
  router.use('/queues', requireAdmin, serverAdapter.getRouter() as RequestHandler);
  // nothing else under /admin is public either
  router.use(requireAdmin);
  return router;
}
