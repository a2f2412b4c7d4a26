import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, notFoundHandler } from '../../producers/error-handler.js';
import { WEB_APP_CSP, webAppRouter } from '../../producers/web-app.js';

let dir: string;
const servers: Server[] = [];

async function serve(webDir: string): Promise<string> {
  const app = express();
  app.get('/v1/ping', (_req, res) => {
    res.json({ pong: true });
  });
  app.use(webAppRouter(webDir));
  app.use(notFoundHandler);
  app.use(errorHandler());
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dataops-web-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
  await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await rm(dir, { recursive: true, force: true });
});

describe('webAppRouter (the browser app at /)', () => {
  it('serves index.html at / without auth, revalidated, under the app policy (no upgrade-insecure-requests)', async () => {
    const url = await serve(dir);
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="app">');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(WEB_APP_CSP);
    expect(WEB_APP_CSP).not.toContain('upgrade-insecure-requests');
    expect(WEB_APP_CSP).toContain("script-src 'self'");
  });

  it('serves hashed assets with a long immutable cache; unknown assets and paths fall through to the API 404', async () => {
    const url = await serve(dir);
    const asset = await fetch(`${url}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${url}/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${url}/v1/ping`)).status).toBe(200);
    expect((await fetch(`${url}/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${url}/assets/..%2f..%2findex.html`)).status).toBe(404);
  });

  it('says how to build the app when it is not built', async () => {
    const url = await serve(join(dir, 'not-built'));
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('npm run build:web');
  });
});
