import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../src/logger.js';
import { UnsupportedMediaTypeError } from './http-errors.js';
import { adminRouter } from './admin.js';
import { Authenticator, principalOf, requireAuth, type AuthenticatorOptions } from './auth.js';
import { dependencyGate, identityEncodingOnly } from './dependency-gate.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { readiness } from './health.js';
import { createMetrics, type ApiMetrics } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { RateLimits } from './rate-limit.js';
import { redactUrl, requestId } from './request-id.js';
import type { RouteDef } from './route-def.js';
import { artifactRoutes } from './routes/artifacts.js';
import { contextRoutes } from './routes/context.js';
import { messageRoutes } from './routes/messages.js';
import { runRoutes } from './routes/runs.js';
import { sessionRoutes } from './routes/sessions.js';
import type { ApiRuntime } from './runtime-port.js';
import { parsePart } from './validate.js';
import { webAppRouter } from './web-app.js';

/** Every REST route of the API, in one table (validation, handlers and OpenAPI come from it). */
export const API_ROUTES: RouteDef[] = [...sessionRoutes, ...messageRoutes, ...runRoutes, ...artifactRoutes, ...contextRoutes];

export interface AppOptions {
  /** Root logger; requests log through `log.child({ component: 'http' })`. */
  log: Logger;
  /** Verifies tokens. Default: `new Authenticator(runtime.config.auth, authOptions)`. */
  authn?: Authenticator;
  /** Options of the default Authenticator (a local JWKS in tests). */
  authOptions?: AuthenticatorOptions;
  /** Version shown in /openapi.json. Default `0.1.0`. */
  version?: string;
  /** Failed authentications per minute per client IP before that IP gets 429s. Default 60. */
  authFailuresPerMinute?: number;
  /** Express `trust proxy` (which `X-Forwarded-For` hops to believe). Default `config.http.trustProxy` (DATAOPS_TRUST_PROXY). */
  trustProxy?: boolean | number | string;
  /** The built browser app served at `/`. Default `web/dist` of the package (see web-app.ts). */
  webDir?: string;
}

/** What `createApp` builds: the Express app and the pieces the server and WebSocket reuse. */
export interface ApiApp {
  app: Express;
  authn: Authenticator;
  rateLimits: RateLimits;
  metrics: ApiMetrics;
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** JSON body for routes that take one; any other media type is a 415, no body means `{}`. */
function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) {
      req.body = {};
      next();
      return;
    }
    if (!req.is(['application/json', 'application/*+json'])) {
      next(new UnsupportedMediaTypeError('Send the body as application/json'));
      return;
    }
    parse(req, res, next);
  };
}

/** A route with no body must not receive one. */
const noBody: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && req.method !== 'GET' && req.method !== 'DELETE') {
    next(new UnsupportedMediaTypeError('This route takes no body'));
    return;
  }
  next();
};

/**
 * The API as an Express 5 app (it does not listen; see server.ts). Order: helmet → request id +
 * pino-http (no headers, no bodies, `token=` blanked) → metrics → public probes → /admin (admin
 * auth) → /v1 routes (auth → rate limit → body → zod validation → handler) → the web app's static files at / → 404 → the one error
 * handler.
 */
export function createApp(rt: ApiRuntime, options: AppOptions): ApiApp {
  const log = options.log;
  const authn = options.authn ?? new Authenticator(rt.config.auth, options.authOptions);
  const rateLimits = new RateLimits({
    redis: rt.services.redis,
    keyPrefix: rt.services.keyPrefix,
    perMinute: rt.config.auth.rateLimitPerMinute,
    ...(options.authFailuresPerMinute !== undefined ? { authFailuresPerMinute: options.authFailuresPerMinute } : {}),
  });
  const metrics = createMetrics(() => rt.producer.allQueues());
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? rt.config.http.trustProxy);
  app.set('query parser', 'simple');
  // No weak ETag (a SHA-1 of every JSON body): API answers are not cached; artifact downloads set their own (the sha256).
  app.set('etag', false);

  app.use(helmet());
  app.use(
    pinoHttp({
      logger: log.child({ component: 'http' }),
      genReqId: requestId,
      quietReqLogger: true,
      wrapSerializers: false,
      serializers: {
        req: (req: Request) => ({ id: req.id, method: req.method, url: redactUrl(req.originalUrl ?? req.url) }),
        res: (res: Response) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use(metrics.httpMiddleware);

  // public probes and documents
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const r = await readiness(rt.services);
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'unavailable', checks: r.checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const openapi = buildOpenApi(API_ROUTES, { version: options.version ?? '0.1.0' });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  app.use(
    '/admin',
    adminRouter({ authn, guard: rateLimits.authGuard, redis: rt.services.redis, keyPrefix: rt.services.keyPrefix, queues: () => rt.producer.allQueues() }),
  );

  app.use('/v1', dependencyGate(rt.services.redis));
  const authenticate = requireAuth(authn, rateLimits.authGuard);
  const json = jsonBody(rt.config.http.jsonBodyLimit);
  for (const route of API_ROUTES) {
    const handlers: RequestHandler[] = [authenticate, rateLimits.middleware(route.rateClass)];
    if (route.body) handlers.push(json);
    else if (route.upload) handlers.push(identityEncodingOnly);
    else handlers.push(noBody);
    handlers.push(async (req, res) => {
      const params = route.params ? parsePart(route.params, { ...req.params }, 'params') : {};
      const query = route.query ? parsePart(route.query, { ...(req.query as object) }, 'query') : {};
      const body = route.body ? parsePart(route.body, req.body, 'body') : undefined;
      const result = await route.handler({ req, res, params, query, body, principal: principalOf(req), rt, log: req.log });
      if (!result) return;
      for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    });
    app[route.method](route.path, ...handlers);
  }

  // the browser app (static files, no auth: it signs in against the routes above)
  app.use(webAppRouter(options.webDir));

  app.use(notFoundHandler);
  app.use(errorHandler({ retryAfterSeconds: rt.config.http.retryAfterSeconds }));
  return { app, authn, rateLimits, metrics };
}
