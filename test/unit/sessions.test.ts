import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { formatContextSummary } from '../../src/sessions/context-summary.js';
import { MessageCursor, decodeCursor, encodeCursor } from '../../src/sessions/cursor.js';
import { INLINE_CONTENT_BYTES, itemToMessage, messageToItems, splitUtf8 } from '../../src/sessions/message-item.js';
import { MAX_CONTENT_BYTES, Message, NewMessage, newMessageId } from '../../src/sessions/message.js';
import { itemToSession, sessionToItem } from '../../src/sessions/session-item.js';
import type { MessageStore } from '../../src/sessions/message-store.js';
import { SeqAllocator } from '../../src/sessions/seq-allocator.js';
import { Session, SessionUpdate, UserPreferences, newSessionId } from '../../src/sessions/session.js';

const now = '2025-01-31T12:34:56.789Z';

function session(overrides: Partial<Session> = {}): Session {
  return Session.parse({
    sessionId: newSessionId(),
    userId: 'u1',
    createdAt: now,
    lastActive: now,
    messageCount: 0,
    version: 1,
    ...overrides,
  });
}

describe('session models', () => {
  it('fills defaults: preferences, status, empty collections, no pending request', () => {
    const s = session();
    expect(s.preferences).toEqual({
      maxContextMessages: 20,
      autoCompressContext: true,
      preferredWorkflows: [],
    });
    expect(s.status).toBe('active');
    expect(s.globalContext).toEqual({});
    expect(s.activeWorkflows).toEqual([]);
    expect(s.artifactRefs).toEqual([]);
    expect(s.pendingRequest).toBeNull();
    expect(s.sessionId).toMatch(/^sess_[0-9a-f-]{36}$/);
    expect(newMessageId()).toMatch(/^msg_[0-9a-f-]{36}$/);
  });

  it('bounds maxContextMessages to 1..500', () => {
    expect(UserPreferences.safeParse({ maxContextMessages: 0 }).success).toBe(false);
    expect(UserPreferences.safeParse({ maxContextMessages: 501 }).success).toBe(false);
    expect(UserPreferences.safeParse({ maxContextMessages: 2.5 }).success).toBe(false);
    expect(UserPreferences.parse({ maxContextMessages: 500 }).maxContextMessages).toBe(500);
  });

  it('SessionUpdate rejects unknown keys and non-updatable fields', () => {
    for (const bad of [{ foo: 1 }, { userId: 'x' }, { messageCount: 3 }, { version: 9 }, { sessionId: 'sess_x' }]) {
      const r = SessionUpdate.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.code).toBe('unrecognized_keys');
    }
  });

  it('SessionUpdate rejects wrong types, and preferences is a strict partial without defaults', () => {
    expect(SessionUpdate.safeParse({ status: 'gone' }).success).toBe(false);
    expect(SessionUpdate.safeParse({ activeWorkflows: 'a' }).success).toBe(false);
    expect(SessionUpdate.safeParse({ globalContext: [] }).success).toBe(false);
    expect(SessionUpdate.safeParse({ preferences: { colour: 'red' } }).success).toBe(false);
    expect(SessionUpdate.parse({ preferences: { maxContextMessages: 5 } })).toEqual({ preferences: { maxContextMessages: 5 } });
    expect(SessionUpdate.parse({ pendingRequest: null })).toEqual({ pendingRequest: null });
    expect(
      SessionUpdate.safeParse({ pendingRequest: { workflow: 'w', params: {}, missing: ['x'], askedAt: 'yesterday' } }).success,
    ).toBe(false);
  });

  it('NewMessage validates role, size and ids', () => {
    expect(NewMessage.safeParse({ role: 'user', content: 'hi' }).success).toBe(true);
    expect(NewMessage.safeParse({ role: 'robot', content: 'hi' }).success).toBe(false);
    expect(NewMessage.safeParse({ role: 'user', content: 'x'.repeat(MAX_CONTENT_BYTES + 1) }).success).toBe(false);
    // 1 MiB counted in UTF-8 bytes, not characters: 'é' is 2 bytes.
    expect(NewMessage.safeParse({ role: 'user', content: 'é'.repeat(MAX_CONTENT_BYTES / 2 + 1) }).success).toBe(false);
    expect(NewMessage.safeParse({ role: 'user', content: 'hi', messageId: 'has space' }).success).toBe(false);
    expect(NewMessage.safeParse({ role: 'user', content: 'hi', extra: 1 }).success).toBe(false);
  });
});

describe('storage layout', () => {
  it('round-trips a session through its item (free-form JSON as strings)', () => {
    const s = session({
      globalContext: { '': 1, nested: { a: [1, 'b', null] } },
      metadata: { source: 'api' },
      pendingRequest: { workflow: 'jil_parse', params: { file: 'a.jil' }, missing: ['env'], askedAt: now },
    });
    const item = sessionToItem(s);
    expect(typeof item.globalContext).toBe('string');
    expect(itemToSession({ ...item })).toEqual(s);
  });

  it('splits content on UTF-8 boundaries into pieces of at most maxBytes', () => {
    const text = 'aé€😀'.repeat(1000);
    const parts = splitUtf8(text, 7);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(7);
    expect(splitUtf8('', 5)).toEqual([]);
  });

  it('chunks large content out of the message item and reassembles it', () => {
    const base: Message = {
      messageId: 'm1',
      sessionId: newSessionId(),
      seq: 7,
      timestamp: now,
      role: 'assistant',
      content: 'small',
      workflow: null,
      artifacts: ['a1'],
      metadata: { k: 1 },
    };
    const small = messageToItems(base, false);
    expect(small.chunks).toEqual([]);
    expect(itemToMessage({ ...small.item })).toEqual(base);

    const big = { ...base, content: 'ü'.repeat(INLINE_CONTENT_BYTES) }; // 2 × INLINE bytes
    const { item, chunks } = messageToItems(big, true);
    expect(item.content).toBe('');
    expect(item.chunks).toBe(chunks.length);
    expect(item.claimed).toBe(true);
    expect(chunks.length).toBe(2);
    for (const c of chunks) expect(c.sessionId).toBe(`${base.sessionId}#c7`);
    expect(itemToMessage({ ...item }, chunks.map((c) => c.content).join(''))).toEqual(big);
  });
});

describe('cursors and summaries', () => {
  it('decodes its own cursors and rejects garbage with ValidationError', () => {
    expect(decodeCursor(encodeCursor({ s: 42 }), MessageCursor)).toEqual({ s: 42 });
    expect(() => decodeCursor('not-a-cursor!!', MessageCursor)).toThrow(ValidationError);
    expect(() => decodeCursor(encodeCursor({ s: -1 }), MessageCursor)).toThrow(ValidationError);
  });

  it('formats the context summary like the spec', () => {
    const s = session({ userId: 'alice', messageCount: 2, globalContext: { env: 'prod' } });
    const msg = (seq: number, role: Message['role'], content: string): Message => ({
      messageId: `m${seq}`,
      sessionId: s.sessionId,
      seq,
      timestamp: now,
      role,
      content,
      workflow: null,
      artifacts: [],
      metadata: {},
    });
    const text = formatContextSummary(s, [msg(1, 'user', 'parse a.jil'), msg(2, 'assistant', 'done')]);
    expect(text.split('\n')).toEqual([
      `Session: ${s.sessionId}`,
      'User: alice',
      'Messages: 2',
      '',
      'Recent Conversation:',
      '',
      '[2025-01-31 12:34:56] user: parse a.jil',
      '[2025-01-31 12:34:56] assistant: done',
      '',
      'Session Context:',
      '{',
      '  "env": "prod"',
      '}',
    ]);
    expect(formatContextSummary(session(), [])).not.toContain('Session Context:');
  });
});

describe('SeqAllocator (group commit)', () => {
  /** A stand-in for the atomic counter: records each block request, resolves on the next tick. */
  function fakeStore(fail?: (count: number) => boolean) {
    let counter = 0;
    const calls: number[] = [];
    const store = {
      allocateSeq: async (_id: string, _now: string, count = 1) => {
        calls.push(count);
        await new Promise((r) => setImmediate(r));
        if (fail?.(count)) throw new Error('boom');
        counter += count;
        return { last: counter, expired: false };
      },
    } as unknown as MessageStore;
    return { store, calls };
  }

  it('hands out unique, contiguous seqs in arrival order with fewer counter updates', async () => {
    const { store, calls } = fakeStore();
    const alloc = new SeqAllocator(store, 10);
    const grants = await Promise.all(Array.from({ length: 25 }, () => alloc.next('s1')));
    expect(grants.map((g) => g.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(calls.reduce((a, b) => a + b, 0)).toBe(25);
    expect(calls.length).toBeLessThan(25);
    expect(Math.max(...calls)).toBeLessThanOrEqual(10);
    // Later requests continue the sequence.
    expect((await alloc.next('s1')).seq).toBe(26);
  });

  it('rejects every waiter of a failed block and keeps serving later ones', async () => {
    let first = true;
    const { store } = fakeStore(() => {
      const f = first;
      first = false;
      return f;
    });
    const alloc = new SeqAllocator(store);
    const results = await Promise.allSettled([alloc.next('s1'), alloc.next('s1'), alloc.next('s1')]);
    expect(results[0]!.status).toBe('rejected');
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ seq: number }>).value.seq);
    expect(ok).toEqual([1, 2]);
  });
});
