import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Router } from 'express';
import { NotFoundError } from '../src/errors/not-found-error.js';

/**
 * The policy for the browser app's pages: everything from this origin (the app is bundled, no CDN),
 * inline styles for Mermaid's SVG, blob: for downloads, the session WebSocket on the same origin.
 * Unlike helmet's default it has no `upgrade-insecure-requests`, so the app also works over plain
 * HTTP inside a closed network.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** `web/dist` of the package, from producers/ (tsx) or dist/producers/ (compiled). */
export function defaultWebDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, '..', 'web', 'dist'), join(here, '..', '..', 'web', 'dist')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[0]!;
}

/**
 * Serves the built browser app (web/dist) at `/`: static files only, no authentication (the app
 * signs in against the API with the user's token). Hashed assets are cached for a year, index.html
 * is revalidated. When the app is not built, `/` answers 404 saying how to build it.
 */
export function webAppRouter(dir: string = defaultWebDir()): Router {
  const router = express.Router();
  const csp: RequestHandler = (_req, res, next) => {
    res.setHeader('Content-Security-Policy', WEB_APP_CSP);
    next();
  };
  router.use(
    '/assets',
    csp,
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true }),
  );
  router.get(['/', '/index.html'], csp, (_req, res, next) => {
    const index = join(dir, 'index.html');
    if (!existsSync(index)) {
      next(new NotFoundError('The web app is not built: run `npm run build:web` (npm install does it)'));
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
