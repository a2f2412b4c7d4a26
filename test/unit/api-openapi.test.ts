import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../producers/app.js';
import { buildOpenApi } from '../../producers/openapi.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('OpenAPI document', () => {
  const doc = buildOpenApi(API_ROUTES, { version: '9.9.9' }) as Json;
  const refs = (v: unknown, out: string[] = []): string[] => {
    if (Array.isArray(v)) v.forEach((x) => refs(x, out));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') out.push(x);
        else refs(x, out);
      }
    }
    return out;
  };

  it('is OpenAPI 3.1 and documents every route of the table, the probes and the WebSocket', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9');
    for (const r of API_ROUTES) {
      const p = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(doc.paths[p]?.[r.method]?.operationId, `${r.method} ${p}`).toBe(r.operationId);
    }
    for (const p of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/v1/sessions/{id}/events']) expect(doc.paths[p]?.get).toBeDefined();
    expect(API_ROUTES.length).toBeGreaterThanOrEqual(22);
  });

  it('resolves every $ref to a component', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(20);
    for (const r of all) {
      expect(r).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[r.split('/').pop()!], r).toBeDefined();
    }
    expect(JSON.stringify(doc)).not.toContain('"$defs"');
  });

  it('describes bodies as strictly as they are validated', () => {
    const msg = doc.paths['/v1/sessions/{id}/messages'].post;
    const body = doc.components.schemas[msg.requestBody.content['application/json'].schema.$ref.split('/').pop()];
    expect(body.additionalProperties).toBe(false);
    expect(body.required).toEqual(['content']);
    expect(Object.keys(body.properties).sort()).toEqual(['artifacts', 'content', 'idempotencyKey']);
    expect(msg.responses['202']).toBeDefined();
    expect(msg.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    const run = doc.paths['/v1/sessions/{id}/runs'].post;
    expect(run.parameters.map((p: Json) => p.name)).toEqual(['id', 'dryRun']);
    expect(doc.components.schemas.StepSpec.anyOf.length).toBe(5);
    const upload = doc.paths['/v1/sessions/{id}/artifacts'].post;
    expect(Object.keys(upload.requestBody.content)).toContain('multipart/form-data');
  });

  it('types the job result and lists per route the errors it really returns', () => {
    const job = doc.paths['/v1/jobs/{jobId}'].get;
    const status = doc.components.schemas[job.responses['200'].content['application/json'].schema.$ref.split('/').pop()];
    const resultRefs = refs(status.properties.result).map((r) => r.split('/').pop());
    expect(resultRefs).toEqual(expect.arrayContaining(['MessageJobResult', 'RunJobResult']));
    expect(doc.components.schemas.MessageJobResult.properties.outcome.enum).toEqual(expect.arrayContaining(['succeeded', 'failed', 'asked', 'answered']));
    expect(doc.components.schemas.MessageJobResult.required).toEqual(expect.arrayContaining(['reply', 'outcome', 'artifacts']));
    expect(Object.keys(status.properties.progress)).not.toHaveLength(0);
    expect(job.parameters.map((p: Json) => p.name)).toEqual(['jobId', 'wait']);
    // a route without path parameters cannot answer 404; a checkpoint label can conflict
    const list = doc.paths['/v1/workflows'].get.responses;
    expect(list['404']).toBeUndefined();
    expect(list['413']).toBeUndefined();
    expect(list['503']).toBeDefined();
    expect(doc.paths['/v1/sessions/{id}/checkpoints'].post.responses['409']).toBeDefined();
    expect(doc.paths['/v1/sessions/{id}/messages'].get.responses['409']).toBeUndefined();
    expect(doc.paths['/v1/sessions/{id}'].patch.responses['409']).toBeDefined();
    expect(doc.paths['/admin/login'].post.responses['303']).toBeDefined();
    expect(Object.keys(doc.paths['/admin/login'].post.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
  });
});
