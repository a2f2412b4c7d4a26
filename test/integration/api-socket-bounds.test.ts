import { SignJWT } from 'jose';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_EXPIRED_CLOSE_CODE } from '../../producers/ws.js';
import { JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET, KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
let aliceSession: string;
let bobSession: string;

beforeAll(async () => {
  h = await startApiHarness({ env: { DATAOPS_WS_PER_USER: '2' } });
  aliceSession = (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId;
  bobSession = (await h.call('POST', '/v1/sessions', { token: KEYS.bob, json: {} })).body.sessionId;
});
afterAll(async () => h?.cleanup());

/** Opens a socket; resolves with the HTTP status of a refused upgrade, or the open socket. */
function open(sessionId: string, token: string): Promise<{ status: number; ws?: WebSocket; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/v1/sessions/${sessionId}/events`, { headers: { authorization: `Bearer ${token}` } });
    ws.once('message', () => resolve({ status: 101, ws })); // "subscribed"
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}) });
      res.resume();
    });
    ws.once('error', reject);
  });
}

const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

describe('WebSocket bounds', () => {
  it('caps event connections per user (429 with Retry-After), counts each user apart, and frees a place on close', async () => {
    const first = await open(aliceSession, KEYS.alice);
    const second = await open(aliceSession, KEYS.alice);
    expect([first.status, second.status]).toEqual([101, 101]);
    const third = await open(aliceSession, KEYS.alice);
    expect(third.status).toBe(429);
    expect(third.retryAfter).toBeDefined();
    const bob = await open(bobSession, KEYS.bob);
    expect(bob.status).toBe(101); // another user is not affected
    bob.ws!.close();
    const gone = closed(first.ws!);
    first.ws!.close();
    await gone;
    let again = await open(aliceSession, KEYS.alice);
    for (let i = 0; i < 20 && again.status !== 101; i++) again = await open(aliceSession, KEYS.alice); // the server sees the close a moment later
    expect(again.status).toBe(101);
    second.ws!.close();
    again.ws!.close();
  });

  it('closes a socket when its JWT expires (4401), while an API-key socket stays open', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3;
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('bob').setIssuer(JWT_ISSUER).setAudience(JWT_AUDIENCE).setExpirationTime(exp).sign(new TextEncoder().encode(JWT_SECRET));
    const viaJwt = await open(bobSession, token);
    expect(viaJwt.status).toBe(101);
    const viaKey = await open(bobSession, KEYS.bob);
    expect(viaKey.status).toBe(101);
    const code = await closed(viaJwt.ws!);
    expect(code).toBe(TOKEN_EXPIRED_CLOSE_CODE);
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000 - 1000);
    expect(viaKey.ws!.readyState).toBe(WebSocket.OPEN);
    viaKey.ws!.close();
  });
});
