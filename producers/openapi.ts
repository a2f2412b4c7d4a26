import { z } from 'zod';
import type { RouteDef } from './route-def.js';
import { HealthResponse, NAMED_REQUEST_SCHEMAS, NAMED_SCHEMAS, ReadyResponse } from './schemas.js';

type JsonObject = Record<string, unknown>;

const REF = (id: string) => `#/components/schemas/${id}`;

/** Express `:param` → OpenAPI `{param}`. */
const openApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Converts every schema of a registry at once; shared ones become `$ref`s into components. */
function components(entries: [string, z.ZodType][], io: 'input' | 'output'): Record<string, JsonObject> {
  const reg = z.registry<{ id: string }>();
  for (const [id, schema] of entries) if (!reg.has(schema)) reg.add(schema, { id });
  const out = z.toJSONSchema(reg, { target: 'draft-2020-12', io, uri: REF, unrepresentable: 'any' }) as { schemas: Record<string, JsonObject> };
  for (const s of Object.values(out.schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  return out.schemas;
}

/** Path/query parameters of a flat zod object, one OpenAPI parameter per property. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonObject[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonObject>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
      ...(where === 'query' && (rest.anyOf || rest.type === 'array') ? { explode: true } : {}),
    };
  });
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (wrong types, unknown fields, bad ids)',
  401: 'Missing or invalid bearer token',
  403: 'Authenticated, but not allowed',
  404: 'Unknown id, or not yours',
  409: 'Conflicts with the current state (e.g. the label exists, or the record kept changing)',
  413: 'Body too large',
  429: 'Rate limited; see Retry-After',
  503: 'A dependency (Redis, DynamoDB, S3) is unavailable; retry after Retry-After',
};

/** The error statuses a route can really answer with: auth, rate limit and outages everywhere, the rest by what it takes. */
function errorStatuses(r: RouteDef): number[] {
  const out = new Set<number>([401, 429, 503]);
  if (r.params || r.query || r.body || r.upload) out.add(400);
  if (r.body || r.upload) out.add(413);
  for (const s of r.errors ?? (r.params ? [404] : [])) out.add(s);
  return [...out].sort((a, b) => a - b);
}

/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas the routes validate
 * with (zod 4's JSON Schema output is JSON Schema 2020-12, which OpenAPI 3.1 uses).
 */
export function buildOpenApi(routes: RouteDef[], info: { version: string }): JsonObject {
  const requests: [string, z.ZodType][] = [...NAMED_REQUEST_SCHEMAS];
  const responses: [string, z.ZodType][] = [...NAMED_SCHEMAS, ['Health', HealthResponse], ['Ready', ReadyResponse]];
  const idOf = new Map<z.ZodType, string>([...NAMED_SCHEMAS, ...NAMED_REQUEST_SCHEMAS].map(([id, s]) => [s, id]));
  const name = (schema: z.ZodType, fallback: string, into: [string, z.ZodType][]) => {
    let id = idOf.get(schema);
    if (!id) {
      id = fallback;
      idOf.set(schema, id);
    }
    if (!into.some(([, s]) => s === schema)) into.push([id, schema]);
    return id;
  };

  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const r of routes) {
    const op: JsonObject = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      security: [{ bearer: [] }],
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
    };
    if (r.body) {
      const id = name(r.body, `${capital(r.operationId)}Request`, requests);
      op.requestBody = { required: true, content: { 'application/json': { schema: { $ref: REF(id) } } } };
    } else if (r.upload) {
      op.requestBody = {
        required: true,
        description: r.upload.description,
        content: Object.fromEntries(
          r.upload.mediaTypes.map((m) => [
            m,
            m === 'multipart/form-data'
              ? { schema: { type: 'object', properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } } } }
              : { schema: { type: 'string', contentMediaType: m } },
          ]),
        ),
      };
    }
    const resp: Record<string, JsonObject> = {};
    for (const [status, d] of Object.entries(r.responses)) {
      if (d.schema) {
        const id = name(d.schema, `${capital(r.operationId)}Response${status}`, responses);
        resp[status] = { description: d.description, content: { 'application/json': { schema: { $ref: REF(id) } } } };
      } else if (d.mediaType) {
        resp[status] = { description: d.description, content: { [d.mediaType]: { schema: { type: 'string', contentMediaType: d.mediaType } } } };
      } else {
        resp[status] = { description: d.description };
      }
    }
    for (const status of errorStatuses(r)) {
      resp[status] ??= { description: ERROR_TEXT[status] ?? 'Error', content: { 'application/json': { schema: { $ref: REF('Error') } } } };
    }
    op.responses = resp;
    (paths[openApiPath(r.path)] ??= {})[r.method] = op;
  }

  const json = (id: string) => ({ content: { 'application/json': { schema: { $ref: REF(id) } } } });
  paths['/healthz'] = { get: { operationId: 'healthz', summary: 'The process is up', tags: ['system'], responses: { 200: { description: 'Up', ...json('Health') } } } };
  paths['/readyz'] = {
    get: {
      operationId: 'readyz',
      summary: 'Redis, DynamoDB and S3 answer',
      tags: ['system'],
      responses: { 200: { description: 'Ready', ...json('Ready') }, 503: { description: 'A dependency failed (named in checks)', ...json('Ready') } },
    },
  };
  paths['/metrics'] = {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics: HTTP requests and BullMQ job counts',
      tags: ['system'],
      responses: { 200: { description: 'Text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  };
  paths['/openapi.json'] = {
    get: { operationId: 'openapi', summary: 'This document', tags: ['system'], responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } } },
  };
  const html = { content: { 'text/html': { schema: { type: 'string' } } } };
  paths['/admin/login'] = {
    get: { operationId: 'adminLoginForm', summary: 'Bull Board sign-in form (HTML) for browsers', tags: ['admin'], responses: { 200: { description: 'The form', ...html } } },
    post: {
      operationId: 'adminLogin',
      summary: 'Sign in to Bull Board with an admin API key or token; answers with an HttpOnly session cookie',
      tags: ['admin'],
      requestBody: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } } } },
      },
      responses: {
        303: { description: 'Signed in: `Set-Cookie: dataops_admin=…` and a redirect to /admin/queues' },
        401: { description: 'The key or token was not accepted: the form again, with the error', ...html },
        403: { description: 'Not an admin (DATAOPS_ADMIN_USERS): the form again, with the error', ...html },
        429: { description: ERROR_TEXT[429], ...json('Error') },
      },
    },
  };
  paths['/v1/sessions/{id}/events'] = {
    get: {
      operationId: 'sessionEvents',
      summary:
        'WebSocket (upgrade): typed JSON events of the session — job progress, node started/finished, artifacts, the reply, failures. ' +
        'Auth: the bearer header, or `?token=` for browsers. The first message is `{"type":"subscribed"}`.',
      tags: ['events'],
      security: [{ bearer: [] }],
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'Bearer token for clients that cannot set headers.' },
      ],
      responses: {
        101: { description: 'Switching protocols' },
        401: { description: 'Missing or invalid token', ...json('Error') },
        404: { description: 'Unknown session, or not yours', ...json('Error') },
      },
    },
  };

  return {
    openapi: '3.1.0',
    info: { title: 'DataOps Agent API', version: info.version, description: 'Sessions, messages, runs, artifacts and context of the DataOps assistant.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (DATAOPS_API_KEYS) or a JWT.' } },
      // request schemas win a name clash: a request body must be described as it is accepted
      schemas: { ...components(responses, 'output'), ...components(requests, 'input') },
    },
    paths,
  };
}
