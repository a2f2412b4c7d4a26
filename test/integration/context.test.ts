import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { ContextManager } from '../../src/context/context-manager.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors/index.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';
import { SessionManager } from '../../src/sessions/session-manager.js';
import { startTestServices, type TestServices } from '../support/test-services.js';

let t: TestServices;
let sessions: SessionManager;
let artifacts: ArtifactStore;
let ctx: ContextManager;

beforeAll(async () => {
  t = await startTestServices();
  const { services, config } = t;
  sessions = new SessionManager({ services, ttlHours: config.sessions.ttlHours, cacheMessages: config.sessions.cacheMessages });
  artifacts = new ArtifactStore({ services, ttlDays: config.artifacts.ttlDays, maxBytes: config.artifacts.maxBytes });
  ctx = new ContextManager({ sessions, artifacts, llm: new OfflineLlm(), services });
});
afterAll(async () => t?.cleanup());

const UNKNOWN_SESSION = 'sess_00000000-0000-4000-8000-000000000000';
const UNKNOWN_ARTIFACT = 'art_00000000-0000-4000-8000-000000000000';

const BASE_CONTEXT = {
  project: 'orders-migration',
  dialect: 'postgres',
  nested: { x: 1, y: 2 },
  list: [1, 2],
  keep: 'me',
  lastArtifact: 'art_seen_in_context',
};

async function newSession(globalContext: Record<string, unknown> = BASE_CONTEXT) {
  return sessions.create('user-ctx', { globalContext });
}

describe('dumpContext / loadContext', () => {
  it('round-trips an uncompressed snapshot, whose id is the artifact id', async () => {
    const s = await newSession();
    await sessions.update(s.sessionId, { activeWorkflows: ['jil.to_airflow'], artifactRefs: ['art_ref_1'] });
    await sessions.addMessage(s.sessionId, { role: 'user', content: 'convert my jil' });
    await sessions.addMessage(s.sessionId, { role: 'assistant', content: 'done' });
    const data = await artifacts.store({ sessionId: s.sessionId, workflowName: 'jil.parse', content: { jobs: 3 }, createdBy: 'test' });

    const snap = await ctx.dumpContext(s.sessionId, { recentMessages: 2 });
    expect(snap.snapshotId).toMatch(/^art_/);
    expect(snap.sessionId).toBe(s.sessionId);
    expect(snap.orchestratorState).toMatchObject({
      globalContext: BASE_CONTEXT,
      activeWorkflows: ['jil.to_airflow'],
      artifactRefs: ['art_ref_1'],
      messageCount: 2,
    });
    expect(snap.orchestratorState.recentMessages?.map((m) => m.content)).toEqual(['convert my jil', 'done']);
    expect(snap.artifactRefs).toEqual([data.artifactId]);
    expect(snap.compressed).toBe(false);
    expect(snap.originalSize).toBeGreaterThan(100);
    expect(snap.compressedSize).toBe(snap.originalSize);

    const meta = await artifacts.peek(snap.snapshotId);
    expect(meta).toMatchObject({ artifactType: 'context', sessionId: s.sessionId, mimeType: 'application/json', sizeBytes: snap.originalSize });
    expect(meta.tags.kind).toBe('context_snapshot');

    expect(await ctx.getSnapshot(snap.snapshotId)).toEqual(snap);
    expect(await ctx.loadContext(snap.snapshotId)).toEqual(BASE_CONTEXT);

    // A second dump does not list the first snapshot among the session's artifacts.
    const again = await ctx.dumpContext(s.sessionId, { includeArtifacts: true });
    expect(again.artifactRefs).toEqual([data.artifactId]);
    expect((await ctx.dumpContext(s.sessionId, { includeArtifacts: false })).artifactRefs).toEqual([]);
  });

  it('round-trips a gzip snapshot, recording both sizes (smaller for a repetitive context)', async () => {
    const big = { ...BASE_CONTEXT, history: Array.from({ length: 300 }, (_, i) => ({ step: i, note: 'loaded orders into staging' })) };
    const s = await newSession(big);
    const snap = await ctx.dumpContext(s.sessionId, { compress: true });
    expect(snap.compressed).toBe(true);
    expect(snap.compressedSize).toBeLessThan(snap.originalSize / 5);
    const meta = await artifacts.peek(snap.snapshotId);
    expect(meta.sizeBytes).toBe(snap.compressedSize);
    expect(meta.mimeType).toBe('application/gzip');
    const loaded = await ctx.getSnapshot(snap.snapshotId);
    expect(loaded).toEqual(snap);
    expect(await ctx.loadContext(snap.snapshotId)).toEqual(big);
  });

  describe('strategies', () => {
    const CHANGED = { project: 'renamed', nested: { y: 3, z: 4 }, extra: 'new' };

    async function prepared() {
      const s = await newSession();
      const snap = await ctx.dumpContext(s.sessionId);
      await sessions.update(s.sessionId, { globalContext: CHANGED });
      return { s, snap };
    }

    it('replace: the session context becomes the snapshot context', async () => {
      const { s, snap } = await prepared();
      expect(await ctx.loadContext(snap.snapshotId, { sessionId: s.sessionId, strategy: 'replace' })).toEqual(BASE_CONTEXT);
      expect((await sessions.get(s.sessionId)).globalContext).toEqual(BASE_CONTEXT);
    });

    it('merge: deep merge, snapshot wins on conflicts, session-only keys stay', async () => {
      const { s, snap } = await prepared();
      const expected = {
        project: 'orders-migration',
        nested: { x: 1, y: 2, z: 4 },
        extra: 'new',
        dialect: 'postgres',
        list: [1, 2],
        keep: 'me',
        lastArtifact: 'art_seen_in_context',
      };
      expect(await ctx.loadContext(snap.snapshotId, { sessionId: s.sessionId, strategy: 'merge' })).toEqual(expected);
      expect((await sessions.get(s.sessionId)).globalContext).toEqual(expected);
    });

    it('selective: only the keys, a key the snapshot lacks is removed', async () => {
      const { s, snap } = await prepared();
      await sessions.update(s.sessionId, { globalContext: { ...CHANGED, gone: 1 } });
      const out = await ctx.loadContext(snap.snapshotId, { sessionId: s.sessionId, strategy: 'selective', keys: ['dialect', 'nested', 'gone'] });
      expect(out).toEqual({ project: 'renamed', nested: { x: 1, y: 2 }, extra: 'new', dialect: 'postgres' });
      // Without a session it returns just those keys of the snapshot.
      expect(await ctx.loadContext(snap.snapshotId, { strategy: 'selective', keys: ['dialect', 'gone'] })).toEqual({ dialect: 'postgres' });
    });

    it('selective without keys is a ValidationError and changes nothing', async () => {
      const { s, snap } = await prepared();
      await expect(ctx.loadContext(snap.snapshotId, { sessionId: s.sessionId, strategy: 'selective' })).rejects.toBeInstanceOf(ValidationError);
      await expect(ctx.loadContext(snap.snapshotId, { sessionId: s.sessionId, strategy: 'selective', keys: [] })).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect((await sessions.get(s.sessionId)).globalContext).toEqual(CHANGED);
    });

    it("loads another session's snapshot when asked (authorization is the caller's)", async () => {
      const { snap } = await prepared();
      const other = await newSession({ mine: true });
      expect(await ctx.loadContext(snap.snapshotId, { sessionId: other.sessionId, strategy: 'merge' })).toEqual({ mine: true, ...BASE_CONTEXT });
    });
  });

  it('refuses an artifact that is not a context snapshot', async () => {
    const s = await newSession();
    const data = await artifacts.store({ sessionId: s.sessionId, workflowName: 'x', content: { a: 1 }, createdBy: 'test' });
    await expect(ctx.loadContext(data.artifactId)).rejects.toBeInstanceOf(ValidationError);
    const fake = await artifacts.store({
      sessionId: s.sessionId,
      workflowName: 'x',
      artifactType: 'context',
      content: { not: 'a snapshot' },
      createdBy: 'test',
      tags: { kind: 'context_snapshot' },
    });
    await expect(ctx.loadContext(fake.artifactId)).rejects.toBeInstanceOf(ValidationError);
  });

  it('unknown session or snapshot → NotFoundError', async () => {
    await expect(ctx.dumpContext(UNKNOWN_SESSION)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.loadContext(UNKNOWN_ARTIFACT)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.loadContext('snap_made_up')).rejects.toBeInstanceOf(NotFoundError);
    const s = await newSession();
    const snap = await ctx.dumpContext(s.sessionId);
    await expect(ctx.loadContext(snap.snapshotId, { sessionId: UNKNOWN_SESSION })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('checkpoints', () => {
  it('create → change → restore brings the old context back; list is newest first', async () => {
    const s = await newSession();
    await sessions.update(s.sessionId, { activeWorkflows: ['csv.profile'], artifactRefs: ['art_before'] });
    const cp = await ctx.createCheckpoint(s.sessionId, 'before-change');
    expect(cp).toMatchObject({ label: 'before-change', snapshotId: expect.stringMatching(/^art_/) });
    expect((await ctx.getSnapshot(cp.snapshotId)).compressed).toBe(true);

    await sessions.update(s.sessionId, { globalContext: { wiped: true }, activeWorkflows: [], artifactRefs: ['art_after'] });
    await new Promise((r) => setTimeout(r, 5));
    const cp2 = await ctx.createCheckpoint(s.sessionId, 'after.change_2');
    expect((await ctx.listCheckpoints(s.sessionId)).map((c) => c.label)).toEqual(['after.change_2', 'before-change']);

    expect(await ctx.restoreCheckpoint(s.sessionId, 'before-change')).toEqual(BASE_CONTEXT);
    const restored = await sessions.get(s.sessionId);
    expect(restored.globalContext).toEqual(BASE_CONTEXT);
    expect(restored.activeWorkflows).toEqual(['csv.profile']);
    expect(restored.artifactRefs).toEqual(['art_before']);

    // merge restore only touches globalContext
    expect(await ctx.restoreCheckpoint(s.sessionId, 'after.change_2', 'merge')).toEqual({ ...BASE_CONTEXT, wiped: true });
    expect((await sessions.get(s.sessionId)).activeWorkflows).toEqual(['csv.profile']);

    await ctx.deleteCheckpoint(s.sessionId, 'after.change_2');
    expect((await ctx.listCheckpoints(s.sessionId)).map((c) => c.label)).toEqual(['before-change']);
    await expect(artifacts.peek(cp2.snapshotId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.deleteCheckpoint(s.sessionId, 'after.change_2')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a duplicate label is a ConflictError unless overwrite, which drops the old snapshot', async () => {
    const s = await newSession();
    const first = await ctx.createCheckpoint(s.sessionId, 'v1');
    await expect(ctx.createCheckpoint(s.sessionId, 'v1')).rejects.toBeInstanceOf(ConflictError);
    await sessions.update(s.sessionId, { globalContext: { version: 2 } });
    const second = await ctx.createCheckpoint(s.sessionId, 'v1', { overwrite: true });
    expect(second.snapshotId).not.toBe(first.snapshotId);
    await expect(artifacts.peek(first.snapshotId)).rejects.toBeInstanceOf(NotFoundError);
    await sessions.update(s.sessionId, { globalContext: { version: 3 } });
    expect(await ctx.restoreCheckpoint(s.sessionId, 'v1')).toEqual({ version: 2 });
  });

  it('concurrent creates of one label: exactly one wins, the loser leaves no snapshot behind', async () => {
    const s = await newSession();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => ctx.createCheckpoint(s.sessionId, 'race')));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const snaps = await artifacts.list(s.sessionId, { artifactType: 'context' });
    expect(snaps.items.map((a) => a.artifactId)).toEqual([(won[0] as PromiseFulfilledResult<{ snapshotId: string }>).value.snapshotId]);
  });

  it('validates labels and reports unknown sessions and labels', async () => {
    const s = await newSession();
    for (const bad of ['', 'has space', 'x'.repeat(65), 'slash/label']) {
      await expect(ctx.createCheckpoint(s.sessionId, bad)).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(ctx.createCheckpoint(UNKNOWN_SESSION, 'ok')).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.listCheckpoints(UNKNOWN_SESSION)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.restoreCheckpoint(s.sessionId, 'never-made')).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.restoreCheckpoint(UNKNOWN_SESSION, 'x')).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.deleteCheckpoint(s.sessionId, 'never-made')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('inheritContext', () => {
  it('copies all or some keys into the target, source winning, target-only keys kept', async () => {
    const source = await newSession({ a: 1, b: 'from-source', c: { deep: true } });
    const target = await newSession({ b: 'old', d: 'mine' });
    expect(await ctx.inheritContext(source.sessionId, target.sessionId, { keys: ['a', 'b', 'missing'] })).toEqual({
      a: 1,
      b: 'from-source',
      d: 'mine',
    });
    expect(await ctx.inheritContext(source.sessionId, target.sessionId)).toEqual({ a: 1, b: 'from-source', c: { deep: true }, d: 'mine' });
    expect((await sessions.get(target.sessionId)).globalContext).toEqual({ a: 1, b: 'from-source', c: { deep: true }, d: 'mine' });
    await expect(ctx.inheritContext(source.sessionId, target.sessionId, { keys: [] })).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.inheritContext(UNKNOWN_SESSION, target.sessionId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.inheritContext(source.sessionId, UNKNOWN_SESSION)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('does not lose a concurrent update of the target', async () => {
    const source = await newSession({ inherited: 1 });
    const target = await newSession({});
    await Promise.all([
      ctx.inheritContext(source.sessionId, target.sessionId),
      sessions.updateWith(target.sessionId, (s) => ({ globalContext: { ...s.globalContext, concurrent: 2 } })),
    ]);
    expect((await sessions.get(target.sessionId)).globalContext).toEqual({ inherited: 1, concurrent: 2 });
  });
});

describe('compression', () => {
  const bloated = () => ({
    ...BASE_CONTEXT,
    params: { dialect: 'postgres', tableName: 'orders' },
    outputs: Array.from({ length: 80 }, (_, i) => ({ i, artifactId: i % 20 === 0 ? `art_out_${i}` : undefined, log: 'x'.repeat(200) })),
    notes: 'long prose '.repeat(500),
  });
  const ids = (v: unknown) => [...new Set(JSON.stringify(v).match(/art_[A-Za-z0-9_-]+/g) ?? [])].sort();

  it('compressContext goes through the LLM port and keeps every artifact id', async () => {
    const out = await ctx.compressContext(bloated(), { maxTokens: 500 });
    expect(ids(out)).toEqual(ids(bloated()));
    expect(out.params).toEqual({ dialect: 'postgres', tableName: 'orders' });
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(500 * 4);
  });

  it('promptSummary compresses the prompt only when the session prefers it and is over budget, never the stored context', async () => {
    const s = await newSession(bloated());
    const storedBefore = JSON.stringify((await sessions.get(s.sessionId)).globalContext);
    expect((await ctx.promptSummary(s.sessionId, { budgetTokens: 100_000 })).compressed).toBe(false);
    const small = await ctx.promptSummary(s.sessionId, { budgetTokens: 800 });
    expect(small.compressed).toBe(true);
    expect(small.text.length).toBeLessThan(JSON.stringify(bloated(), null, 2).length / 4);
    expect(ids(small.text)).toEqual(ids(bloated()));
    // The user's data is untouched, in the cache and in DynamoDB.
    expect(JSON.stringify((await sessions.get(s.sessionId)).globalContext)).toBe(storedBefore);
    const fresh = new SessionManager({ services: t.services, ttlHours: 1, cacheMessages: 1 });
    await t.services.redis.del(`${t.services.keyPrefix}sess:{${s.sessionId}}`);
    expect(JSON.stringify((await fresh.get(s.sessionId)).globalContext)).toBe(storedBefore);

    const off = await sessions.create('user-ctx', { globalContext: bloated(), preferences: { autoCompressContext: false } });
    expect((await ctx.promptSummary(off.sessionId, { budgetTokens: 800 })).compressed).toBe(false);
    expect((await sessions.get(off.sessionId)).globalContext).toEqual(JSON.parse(JSON.stringify(bloated())));
  });
});
