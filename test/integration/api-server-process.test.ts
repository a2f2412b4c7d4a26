import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killProcesses, startApiProcess } from '../support/processes.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;
beforeAll(async () => {
  t = await startTestServices();
});
afterAll(async () => {
  killProcesses();
  await t?.cleanup();
});

describe('the web process (producers/server.ts)', () => {
  it('never runs open: generates a dev key once, serves, and drains on SIGTERM (sockets closed 1001, exit 0)', async () => {
    const env: Record<string, string> = { ...t.env, PORT: '0', LOG_LEVEL: 'info', PATH: process.env.PATH ?? '', NODE_ENV: 'development' };
    delete env.DATAOPS_API_KEYS;
    const { p: child, url } = await startApiProcess(env, { timeoutMs: 40_000 });
    const out = () => child.out();
    const key = (await readFile(join(t.env.DATAOPS_DATA_DIR!, 'dev-api-key'), 'utf8')).trim();
    expect(out()).toContain(`Development API key (shown once`);
    expect(out()).toContain(key);
    expect((await fetch(`${url}/v1/sessions`)).status).toBe(401);
    const created = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' });
    expect(created.status).toBe(201);
    const { sessionId } = (await created.json()) as { sessionId: string };
    // the dev user is the admin of a local install
    expect((await fetch(`${url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    // the key is printed once, never logged in a request line
    const keyMentions = out().split(key).length - 1;
    expect(keyMentions).toBe(1);

    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/sessions/${sessionId}/events`, { headers: { authorization: `Bearer ${key}` } });
    await new Promise<void>((resolve) => ws.on('message', () => resolve()));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    child.child.kill('SIGTERM');
    expect(await closed).toBe(1001);
    expect(await child.exit).toBe(0);
    expect(out()).toContain('shutting down');
  });
});
