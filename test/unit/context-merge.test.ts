import { describe, expect, it } from 'vitest';
import { applyStrategy, deepMerge } from '../../src/context/merge.js';
import { ContextSnapshot, LoadOptions, StoredSnapshot } from '../../src/context/context-snapshot.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/context/snapshot-codec.js';
import { ValidationError } from '../../src/errors/index.js';

describe('load strategies', () => {
  const current = { a: 1, nested: { x: 1, keep: true }, arr: [1, 2, 3], onlyCurrent: 'c' };
  const snapshot = { a: 2, nested: { x: 9, added: 'y' }, arr: [9], onlySnapshot: 's' };

  it('replace takes the snapshot as is', () => {
    expect(applyStrategy('replace', current, snapshot)).toEqual(snapshot);
  });

  it('merge is deep, snapshot wins, arrays are replaced not concatenated', () => {
    expect(applyStrategy('merge', current, snapshot)).toEqual({
      a: 2,
      nested: { x: 9, keep: true, added: 'y' },
      arr: [9],
      onlyCurrent: 'c',
      onlySnapshot: 's',
    });
  });

  it('merge replaces on a type mismatch and leaves its inputs alone', () => {
    const base = { v: { deep: 1 } };
    const over = { v: 'scalar' };
    expect(deepMerge(base, over)).toEqual({ v: 'scalar' });
    expect(deepMerge(over, base)).toEqual({ v: { deep: 1 } });
    expect(base).toEqual({ v: { deep: 1 } });
  });

  it('selective copies the keys and removes the ones the snapshot lacks', () => {
    expect(applyStrategy('selective', current, snapshot, ['a', 'onlyCurrent'])).toEqual({
      a: 2,
      nested: { x: 1, keep: true },
      arr: [1, 2, 3],
    });
  });

  it('LoadOptions demands keys for selective', () => {
    expect(LoadOptions.safeParse({ strategy: 'selective' }).success).toBe(false);
    expect(LoadOptions.safeParse({ strategy: 'selective', keys: [] }).success).toBe(false);
    expect(LoadOptions.safeParse({ strategy: 'selective', keys: ['a'] }).success).toBe(true);
    expect(LoadOptions.parse({}).strategy).toBe('replace');
  });
});

describe('snapshot codec', () => {
  const body: StoredSnapshot = {
    format: 1,
    sessionId: 'sess_1',
    createdAt: '2025-01-01T00:00:00.000Z',
    orchestratorState: { globalContext: { note: 'same words again '.repeat(100) }, activeWorkflows: [], artifactRefs: ['art_1'], messageCount: 3 },
    workflowStates: {},
    artifactRefs: [],
  };

  it('round-trips plain and gzip bytes, recognising gzip by its magic bytes', async () => {
    const plain = await encodeSnapshot(body, false);
    const gz = await encodeSnapshot(body, true);
    expect(gz.compressedSize).toBeLessThan(plain.originalSize);
    expect(gz.originalSize).toBe(plain.originalSize);
    for (const enc of [plain, gz]) {
      const d = await decodeSnapshot(enc.bytes, 'art_x');
      expect(d.body).toEqual(body);
      expect(d.compressed).toBe(enc.compressed);
      expect(d.originalSize).toBe(plain.originalSize);
    }
  });

  it('refuses bytes that are not a snapshot', async () => {
    await expect(decodeSnapshot(Buffer.from('not json'), 'art_x')).rejects.toBeInstanceOf(ValidationError);
    await expect(decodeSnapshot(Buffer.from('{"a":1}'), 'art_x')).rejects.toBeInstanceOf(ValidationError);
    await expect(decodeSnapshot(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 'art_x')).rejects.toBeInstanceOf(ValidationError);
  });

  it('the public snapshot is the stored body plus id and sizes', () => {
    const { format: _f, ...rest } = body;
    expect(ContextSnapshot.parse({ ...rest, snapshotId: 'art_1', compressed: false, originalSize: 10, compressedSize: 10 }).snapshotId).toBe('art_1');
  });
});
