import { defineRoute, type RouteDef } from '../route-def.js';
import { assertOwnsSnapshot, ownedSession } from '../ownership.js';
import {
  CheckpointBody,
  CheckpointList,
  CheckpointParams,
  ContextResult,
  EmptyBody,
  EmptyQuery,
  InheritBody,
  LoadSnapshotBody,
  SessionParams,
  SnapshotBody,
  SnapshotParams,
  SnapshotResponse,
} from '../schemas.js';

const tag = 'context';

/** Plain JSON of whatever the context manager answered (undefined → `{}`). */
const asObject = (v: unknown) => (v !== null && typeof v === 'object' ? v : { result: v ?? null });

export const contextRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/snapshots',
    operationId: 'createSnapshot',
    summary: "Dump the session's context to a snapshot",
    tag,
    rateClass: 'write',
    params: SessionParams,
    query: EmptyQuery,
    body: SnapshotBody,
    responses: { 201: { description: 'The snapshot', schema: SnapshotResponse } },
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      const snap = await rt.context.dumpContext(params.id, {
        ...(body.includeArtifacts !== undefined ? { includeArtifacts: body.includeArtifacts } : {}),
        ...(body.compress !== undefined ? { compress: body.compress } : {}),
      });
      return { status: 201, body: snap };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/snapshots/:snapshotId/load',
    operationId: 'loadSnapshot',
    summary: 'Load a snapshot of one of your sessions into this session',
    tag,
    rateClass: 'write',
    params: SnapshotParams,
    query: EmptyQuery,
    body: LoadSnapshotBody,
    responses: { 200: { description: 'What was loaded', schema: ContextResult } },
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      await assertOwnsSnapshot(rt, principal, params.snapshotId);
      const r = await rt.context.loadContext(params.snapshotId, {
        sessionId: params.id,
        strategy: body.strategy,
        ...(body.keys ? { keys: body.keys } : {}),
      });
      return { status: 200, body: asObject(r) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/checkpoints',
    operationId: 'createCheckpoint',
    summary: 'Save a named checkpoint of the session',
    tag,
    rateClass: 'write',
    params: SessionParams,
    query: EmptyQuery,
    body: CheckpointBody,
    responses: { 201: { description: 'The checkpoint', schema: ContextResult } },
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      return { status: 201, body: asObject(await rt.context.createCheckpoint(params.id, body.label)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sessions/:id/checkpoints',
    operationId: 'listCheckpoints',
    summary: "The session's checkpoints",
    tag,
    rateClass: 'read',
    params: SessionParams,
    query: EmptyQuery,
    responses: { 200: { description: 'Checkpoints', schema: CheckpointList } },
    handler: async ({ rt, principal, params }) => {
      await ownedSession(rt, principal, params.id);
      return { status: 200, body: { items: await rt.context.listCheckpoints(params.id) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/checkpoints/:label/restore',
    operationId: 'restoreCheckpoint',
    summary: 'Restore the session to a checkpoint',
    tag,
    rateClass: 'write',
    params: CheckpointParams,
    query: EmptyQuery,
    body: EmptyBody,
    responses: { 200: { description: 'What was restored', schema: ContextResult } },
    handler: async ({ rt, principal, params }) => {
      await ownedSession(rt, principal, params.id);
      return { status: 200, body: asObject(await rt.context.restoreCheckpoint(params.id, params.label)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/inherit',
    operationId: 'inheritContext',
    summary: 'Copy context (all or some keys) from another of your sessions into this one',
    tag,
    rateClass: 'write',
    params: SessionParams,
    query: EmptyQuery,
    body: InheritBody,
    responses: { 200: { description: 'What was inherited', schema: ContextResult } },
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      await ownedSession(rt, principal, body.sourceSessionId);
      const r = await rt.context.inheritContext(body.sourceSessionId, params.id, body.keys ? { keys: body.keys } : {});
      return { status: 200, body: asObject(r) };
    },
  }),
];
