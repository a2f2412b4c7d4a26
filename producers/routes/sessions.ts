import { Session } from '../../src/sessions/session.js';
import { defineRoute, type RouteDef } from '../route-def.js';
import { ownedSession } from '../ownership.js';
import {
  CreateSessionBody,
  EmptyQuery,
  ListSessionsQuery,
  MessagePage,
  PageQuery,
  SessionPage,
  SessionParams,
  UpdateSessionBody,
} from '../schemas.js';

const tag = 'sessions';

export const sessionRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/v1/sessions',
    operationId: 'createSession',
    summary: 'Create a session for the caller',
    tag,
    rateClass: 'write',
    query: EmptyQuery,
    body: CreateSessionBody,
    responses: { 201: { description: 'The new session', schema: Session } },
    handler: async ({ rt, principal, body }) => ({ status: 201, body: await rt.sessions.create(principal.userId, body) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sessions',
    operationId: 'listSessions',
    summary: "The caller's sessions, most recently active first",
    tag,
    rateClass: 'read',
    query: ListSessionsQuery,
    responses: { 200: { description: 'One page', schema: SessionPage } },
    handler: async ({ rt, principal, query }) => {
      const page = await rt.sessions.listUserSessions(principal.userId, {
        ...(query.active !== undefined ? { activeOnly: query.active } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      });
      return { status: 200, body: { items: page.items, nextCursor: page.nextCursor ?? null } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sessions/:id',
    operationId: 'getSession',
    summary: 'One session',
    tag,
    rateClass: 'read',
    params: SessionParams,
    query: EmptyQuery,
    responses: { 200: { description: 'The session', schema: Session } },
    handler: async ({ rt, principal, params }) => ({ status: 200, body: await ownedSession(rt, principal, params.id) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/sessions/:id',
    operationId: 'updateSession',
    summary: "Change a session's preferences, globalContext or metadata (other fields are the assistant's)",
    tag,
    rateClass: 'write',
    params: SessionParams,
    query: EmptyQuery,
    body: UpdateSessionBody,
    responses: { 200: { description: 'The session afterwards', schema: Session } },
    errors: [404, 409],
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      return { status: 200, body: await rt.sessions.update(params.id, patch) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/sessions/:id',
    operationId: 'deleteSession',
    summary: 'Delete a session with its messages, artifacts (shared copies elsewhere keep their content), snapshots and checkpoints',
    tag,
    rateClass: 'write',
    params: SessionParams,
    query: EmptyQuery,
    responses: { 204: { description: 'Deleted' } },
    handler: async ({ rt, principal, params }) => {
      await ownedSession(rt, principal, params.id);
      await rt.context.deleteSession(params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sessions/:id/messages',
    operationId: 'listMessages',
    summary: "A session's messages, oldest first",
    tag,
    rateClass: 'read',
    params: SessionParams,
    query: PageQuery,
    responses: { 200: { description: 'One page', schema: MessagePage } },
    handler: async ({ rt, principal, params, query }) => {
      await ownedSession(rt, principal, params.id);
      const page = await rt.sessions.listMessages(params.id, {
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      });
      return { status: 200, body: { items: page.items, nextCursor: page.nextCursor ?? null } };
    },
  }),
];
