/**
 * Property-based fuzzing of every route in /openapi.json (fast-check, fixed seed, bounded count):
 * random and schema-shaped path parameters, queries, bodies, media types, encodings and tokens.
 * Properties: no response is a 5xx, and a 4xx to a writing request (POST/DELETE/…) changes nothing
 * (no job enqueued, no session, message, artifact, checkpoint or stored object added or removed).
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

type Schema = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query'; schema: Schema }[];
  body: Schema | undefined;
  upload: boolean;
}

const SEED = 20261201;
const RUNS = 200;

let h: ApiHarness;
let ops: Operation[];
let components: Record<string, Schema>;
const ids: Record<string, string[]> = {};

beforeAll(async () => {
  h = await startApiHarness({ env: { DATAOPS_RATE_LIMIT_PER_MINUTE: '1000000' } });
  const A = KEYS.alice;
  const s = (await h.call('POST', '/v1/sessions', { token: A, json: {} })).body.sessionId as string;
  const bobS = (await h.call('POST', '/v1/sessions', { token: KEYS.bob, json: {} })).body.sessionId as string;
  const art = (await h.call('POST', `/v1/sessions/${s}/artifacts?name=a.csv`, { token: A, body: 'id,x\n1,2\n', headers: { 'content-type': 'text/csv' } })).body
    .artifactId as string;
  const snap = (await h.call('POST', `/v1/sessions/${s}/snapshots`, { token: A, json: {} })).body.snapshotId as string;
  await h.call('POST', `/v1/sessions/${s}/checkpoints`, { token: A, json: { label: 'cp1' } });
  const job = (await h.call('POST', `/v1/sessions/${s}/messages`, { token: A, json: { content: 'make numbers with start = 1' } })).body.jobId as string;
  ids.sess = [s, bobS, 'sess_00000000-0000-4000-8000-000000000000'];
  ids.art = [art, snap, 'art_00000000-0000-4000-8000-000000000000'];
  ids.label = ['cp1', 'nope'];
  ids.job = [job, 'msg-unknown', 'run-x.y'];
  const doc = (await h.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, Schema> } };
  components = doc.components?.schemas ?? {};
  ops = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content as Record<string, { schema?: Schema }> | undefined;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p: { in: string }) => p.in === 'path' || p.in === 'query'),
        body: content?.['application/json']?.schema,
        upload: content !== undefined && !content['application/json'],
      });
    }
  }
});
afterAll(async () => h?.cleanup());

const resolve = (s: Schema): Schema => (typeof s.$ref === 'string' ? resolve(components[s.$ref.split('/').pop()!] ?? {}) : s);

/** Values shaped by a JSON schema (not always valid: lengths, patterns and formats are ignored on purpose). */
function fromSchema(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(raw);
  const variants = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (variants?.length) return fc.oneof(...variants.map((v) => fromSchema(v, depth + 1)));
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if ('const' in s) return fc.constant(s.const);
  if (depth > 4) return fc.constant(null);
  switch (s.type) {
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const entries = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromSchema(v, depth + 1)]));
      return fc.record(entries, { requiredKeys: [] });
    }
    case 'array':
      return fc.array(fromSchema((s.items as Schema) ?? {}, depth + 1), { maxLength: 3 });
    case 'string':
      return fc.oneof(fc.string({ maxLength: 20 }), ...Object.values(ids).map((v) => fc.constantFrom(...v)));
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constant(2 ** 53));
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A path parameter: a real id of the right kind, another user's, or junk (some of it badly percent-encoded). */
function pathValue(schema: Schema): fc.Arbitrary<string> {
  const pattern = String(schema.pattern ?? '');
  const pool = pattern.includes('sess_') ? ids.sess! : pattern.includes('art_') ? ids.art! : pattern.includes('64') ? ids.label! : ids.job!;
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pool) },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%C0%AF', '..%2F..', '%00', 'x'.repeat(400)) },
  );
}

function request(op: Operation) {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  return fc.record({
    op: fc.constant(op),
    path: fc.tuple(...pathParams.map((p) => pathValue(p.schema))).map((values) => {
      let out = op.path;
      pathParams.forEach((p, i) => (out = out.replace(`{${p.name}}`, values[i]!)));
      return out;
    }),
    query: fc.array(
      fc.oneof(
        ...queryParams.map((p) => fromSchema(p.schema).map((v) => [p.name, typeof v === 'string' ? v : JSON.stringify(v)] as const)),
        fc.tuple(fc.constantFrom('bogus', 'limit', 'x'), fc.string({ maxLength: 8 })),
      ),
      { maxLength: 3 },
    ),
    body: op.body
      ? fc.oneof(
          { weight: 4, arbitrary: fromSchema(op.body).map((v) => ({ text: JSON.stringify(v), type: 'application/json' })) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => ({ text: JSON.stringify(v), type: 'application/json' })) },
          { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((t) => ({ text: t, type: 'application/json' })) },
          { weight: 1, arbitrary: fc.constantFrom({ text: 'a=b', type: 'application/x-www-form-urlencoded' }, { text: '{}', type: 'text/plain' }) },
          { weight: 1, arbitrary: fc.constant(undefined) },
        )
      : op.upload
        ? fc.oneof(
            fc.string({ maxLength: 60 }).map((t) => ({ text: t, type: 'text/csv' })),
            fc.constantFrom({ text: '--x\r\nbroken', type: 'multipart/form-data; boundary=x' }, { text: 'a', type: 'application/json' }, { text: '', type: 'text/plain' }),
          )
        : op.method === 'GET'
          ? fc.constant(undefined)
          : fc.option(fc.constantFrom({ text: '{}', type: 'application/json' }, { text: 'x', type: 'text/plain' }), { nil: undefined }),
    encoding: fc.option(fc.constantFrom('gzip', 'br', 'deflate', 'bogus'), { freq: 8, nil: undefined }),
    token: fc.constantFrom<string | undefined>(KEYS.alice, KEYS.alice, KEYS.alice, KEYS.bob, undefined, 'not-a-key', 'a.b.c'),
  });
}

/** Everything a 4xx must leave alone. */
async function fingerprint(): Promise<string> {
  const objects = await h.t.services.s3.send(new ListObjectsV2Command({ Bucket: h.t.services.bucket }));
  const sessions = await h.rt.sessions.listUserSessions('alice', { activeOnly: false, limit: 100 });
  const [s] = ids.sess!;
  const session = await h.rt.sessions.get(s!).catch(() => null);
  return JSON.stringify({
    jobs: await h.jobTotal(),
    objects: (objects.Contents ?? []).map((o) => `${o.Key}:${o.Size}`).sort(),
    sessions: sessions.items.map((x) => `${x.sessionId}:${x.messageCount}:${x.version}`).sort(),
    session: session ? { version: session.version, messages: session.messageCount, context: session.globalContext } : null,
    artifacts: session ? (await h.rt.artifacts.list(s!, { limit: 100 })).items.map((a) => a.artifactId).sort() : [],
    checkpoints: session ? (await h.rt.context.listCheckpoints(s!)).map((c) => c.label).sort() : [],
  });
}

describe('OpenAPI fuzzer', () => {
  it(`${RUNS} generated requests over every documented route: no 5xx, and a 4xx changes nothing`, async () => {
    expect(ops.length).toBeGreaterThan(15);
    const seen = new Map<string, Set<number>>();
    // the state before the next writing request (recomputed only after one that may have changed it)
    let before: string | undefined;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ops).chain(request), async (r) => {
        const qs = r.query.length ? `?${r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '';
        const headers: Record<string, string> = {};
        if (r.body) headers['content-type'] = r.body.type;
        if (r.encoding && r.body) headers['content-encoding'] = r.encoding;
        const writes = r.op.method !== 'GET';
        if (writes) before ??= await fingerprint();
        const res = await h.call(r.op.method, `${r.path}${qs}`, { token: r.token, headers, ...(r.body ? { body: r.body.text } : {}) });
        const key = `${r.op.method} ${r.op.path}`;
        if (!seen.has(key)) seen.set(key, new Set());
        seen.get(key)!.add(res.status);
        const what = `${r.op.method} ${r.path}${qs} → ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, what).toBeLessThan(500);
        if (!writes) return;
        if (res.status >= 400) expect(await fingerprint(), what).toBe(before);
        else before = undefined;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // every route was reached
    expect([...seen.keys()].length).toBe(ops.length);
  }, 120_000);
});
