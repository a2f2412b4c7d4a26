import { createHash } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { Artifact } from '../../src/artifacts/artifact.js';
import type { ArtifactTable } from '../../src/artifacts/artifact-table.js';
import { contentShape, defaultKind, defaultMimeType, kindFromName } from '../../src/artifacts/content-kind.js';
import { decodeCursor, encodeCursor } from '../../src/artifacts/cursor.js';
import { HashingLimiter } from '../../src/artifacts/hashing-limiter.js';
import { fromItem, toItem } from '../../src/artifacts/item-codec.js';
import { artifactS3Key, expiryFrom, newArtifactId } from '../../src/artifacts/keys.js';
import { findCycle, walk } from '../../src/artifacts/lineage-graph.js';
import { StoreArtifactInput, parseOrThrow } from '../../src/artifacts/store-input.js';
import { PayloadTooLargeError, ValidationError } from '../../src/errors/index.js';

function artifact(id: string, parents: string[] = [], children: string[] = []): Artifact {
  return {
    artifactId: id,
    sessionId: 's1',
    workflowName: 'wf',
    artifactType: 'result',
    s3Key: `artifacts/s1/2025/01/02/${id}`,
    contentType: 'json',
    mimeType: 'application/json',
    sizeBytes: 2,
    sha256: 'a'.repeat(64),
    createdAt: '2025-01-02T03:04:05.678Z',
    createdBy: 'node',
    description: null,
    parentArtifacts: parents,
    childArtifacts: children,
    derivedFrom: null,
    expiresAt: null,
    accessCount: 0,
    lastAccessed: '2025-01-02T03:04:05.678Z',
    tags: {},
    name: null,
    kind: 'json',
    derivation: null,
  };
}

/** An in-memory stand-in for the table's batch read (lineage logic only needs readMany). */
function fakeTable(nodes: Artifact[]): ArtifactTable {
  const byId = new Map(nodes.map((n) => [n.artifactId, n]));
  return {
    readMany: async (ids: Iterable<string>) => {
      const out = new Map<string, Artifact>();
      for (const id of ids) {
        const n = byId.get(id);
        if (n) out.set(id, n);
      }
      return out;
    },
  } as unknown as ArtifactTable;
}

describe('content kinds', () => {
  it('classifies content shapes', () => {
    expect(contentShape({ a: 1 })).toBe('json');
    expect(contentShape([1, 2])).toBe('json');
    expect(contentShape(Object.create(null))).toBe('json');
    expect(contentShape('x')).toBe('string');
    expect(contentShape(Buffer.from('x'))).toBe('bytes');
    expect(contentShape(new Uint8Array(2))).toBe('bytes');
    expect(contentShape(Readable.from(['x']))).toBe('stream');
    expect(contentShape(new PassThrough())).toBe('stream');
    expect(contentShape(new ReadableStream())).toBe('stream');
    for (const bad of [1, true, null, undefined, new Date(), new Map(), () => 1]) expect(contentShape(bad)).toBeUndefined();
  });

  it('derives kinds and MIME types', () => {
    expect(defaultKind('json')).toBe('json');
    expect(defaultKind('string')).toBe('text');
    expect(defaultKind('string', 'data.csv')).toBe('csv');
    expect(defaultKind('bytes')).toBe('binary');
    expect(defaultKind('stream', 'x.PARQUET')).toBe('parquet');
    expect(defaultKind('bytes', 'noext')).toBe('binary');
    expect(kindFromName('a.b.json')).toBe('json');
    expect(kindFromName(null)).toBeUndefined();
    expect(defaultMimeType('json')).toBe('application/json');
    expect(defaultMimeType('csv')).toBe('text/csv');
    expect(defaultMimeType('binary')).toBe('application/octet-stream');
    expect(defaultMimeType('text')).toMatch(/^text\/plain/);
  });
});

describe('keys, expiry, cursors', () => {
  it('builds ids and dated S3 keys in UTC', () => {
    const id = newArtifactId();
    expect(Artifact.shape.artifactId.safeParse(id).success).toBe(true);
    expect(artifactS3Key('sess_1', id, new Date('2024-03-09T23:59:59.999Z'))).toBe(`artifacts/sess_1/2024/03/09/${id}`);
    expect(expiryFrom(new Date('2024-01-01T00:00:00.000Z'), 1.5)).toBe('2024-01-02T12:00:00.000Z');
    expect(expiryFrom(new Date(), null)).toBeNull();
  });

  it('round-trips cursors and refuses foreign or broken ones', () => {
    const c = { sessionId: 's1', createdAt: '2025-01-01T00:00:00.000Z', artifactId: newArtifactId() };
    const raw = encodeCursor(c);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(raw, 's1')).toEqual(c);
    expect(() => decodeCursor(raw, 's2')).toThrow(ValidationError);
    expect(() => decodeCursor('not-a-cursor', 's1')).toThrow(ValidationError);
    expect(() => decodeCursor(Buffer.from('[1,2]').toString('base64url'), 's1')).toThrow(ValidationError);
  });
});

describe('item codec', () => {
  it('round-trips, storing lineage as sets and nulls as absent attributes', () => {
    const a = { ...artifact(newArtifactId(), ['art_b', 'art_a']), description: 'd', name: 'n.csv' };
    const item = toItem(a);
    expect(item.parentArtifacts).toEqual(new Set(['art_b', 'art_a']));
    expect('childArtifacts' in item).toBe(false);
    expect('derivedFrom' in item).toBe(false);
    expect('expiresAt' in item).toBe(false);
    expect(fromItem(item)).toEqual({ ...a, parentArtifacts: ['art_a', 'art_b'] });
  });
});

describe('input validation', () => {
  it('applies defaults and keeps the content object itself', () => {
    const stream = Readable.from(['x']);
    const parsed = parseOrThrow(StoreArtifactInput, { sessionId: 's', workflowName: 'w', createdBy: 'n', content: stream }, 'artifact');
    expect(parsed.artifactType).toBe('result');
    expect(parsed.content).toBe(stream);
  });

  it('reports every bad field with zod issues as details', () => {
    const err = (() => {
      try {
        parseOrThrow(StoreArtifactInput, { sessionId: '', workflowName: 3, createdBy: 'n', content: 1 }, 'artifact');
      } catch (e) {
        return e as ValidationError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    const paths = (err!.details as { path: string[] }[]).map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['sessionId', 'workflowName', 'content']));
  });
});

describe('HashingLimiter', () => {
  const sink = () =>
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    });

  it('counts and hashes what passes through', async () => {
    const limiter = new HashingLimiter(100);
    await pipeline(Readable.from([Buffer.from('hello '), Buffer.from('world')]), limiter, sink());
    expect(limiter.bytes).toBe(11);
    expect(limiter.digest()).toBe(createHash('sha256').update('hello world').digest('hex'));
  });

  it('fails with PayloadTooLargeError as soon as the limit is passed', async () => {
    const limiter = new HashingLimiter(10);
    let passed = 0;
    const counting = new Writable({
      write(c: Buffer, _e, cb) {
        passed += c.length;
        cb();
      },
    });
    const err = await pipeline(Readable.from([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)]), limiter, counting).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as Error).message).toContain('the limit is 10 bytes');
    expect(passed).toBe(6);
  });
});

describe('lineage graph', () => {
  // a → b → c, a → d → c (diamond), plus e → a
  const graph = [
    artifact('e', [], ['a']),
    artifact('a', ['e'], ['b', 'd']),
    artifact('b', ['a'], ['c']),
    artifact('d', ['a'], ['c', 'stale']),
    artifact('c', ['b', 'd'], []),
    artifact('stale', [], []), // listed as d's child, but does not list d as a parent
  ];
  const table = fakeTable(graph);
  const byId = (id: string) => graph.find((g) => g.artifactId === id)!;

  it('walks up and down breadth-first, each node once, verifying reverse edges', async () => {
    const up = await walk(table, byId('c'), 'up', 10);
    expect(up.nodes.map((n) => n.artifactId)).toEqual(['b', 'd', 'a', 'e']);
    expect(up.edges).toHaveLength(5);
    const down = await walk(table, byId('e'), 'down', 10);
    expect(down.nodes.map((n) => n.artifactId)).toEqual(['a', 'b', 'd', 'c']);
    expect(down.edges).not.toContainEqual({ parent: 'd', child: 'stale' });
    const shallow = await walk(table, byId('e'), 'down', 2);
    expect(shallow.nodes.map((n) => n.artifactId)).toEqual(['a', 'b', 'd']);
  });

  it('finds the cycle a new edge would close, as a path', async () => {
    expect(await findCycle(table, byId('c'), 'e')).toEqual(['e', 'a', 'b', 'c', 'e']);
    expect(await findCycle(table, byId('b'), 'b')).toEqual(['b', 'b']);
    expect(await findCycle(table, byId('e'), 'c')).toBeUndefined(); // e → c is a new forward edge
    expect(await findCycle(table, byId('d'), 'b')).toBeUndefined(); // siblings
  });
});
