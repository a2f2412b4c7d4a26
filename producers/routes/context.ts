import { Checkpoint } from '../../src/context/checkpoint.js';
import { defineRoute, type RouteDef } from '../route-def.js';
import { assertOwnsSnapshot, ownedSession } from '../ownership.js';
import {
  CheckpointBody,
  CheckpointList,
  CheckpointParams,
  CompressBody,
  CompressResponse,
  ContextResult,
  EmptyQuery,
  InheritBody,
  LoadSnapshotBody,
  RestoreBody,
  SessionParams,
  SnapshotBody,
  SnapshotParams,
  SnapshotList,
  SnapshotResponse,
} from '../schemas.js';

const tag = 'context';

/** Drops undefined fields (the context manager's option schemas are strict). */
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const contextRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/snapshots',
    operationId: 'createSnapshot',
    summary: "Dump the session's context to a snapshot (stored as an artifact; its id is the snapshot id)",
    tag,
    rateClass: 'write',
    params: SessionParams,
    query: EmptyQuery,
    body: SnapshotBody,
    responses: { 201: { description: 'The snapshot', schema: SnapshotResponse } },
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      return { status: 201, body: await rt.context.dumpContext(params.id, defined(body)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sessions/:id/snapshots',
    operationId: 'listSnapshots',
    summary: "The session's context snapshots, newest first (checkpoints included)",
    tag,
    rateClass: 'read',
    params: SessionParams,
    query: EmptyQuery,
    responses: { 200: { description: 'Snapshots (metadata; load one to apply it)', schema: SnapshotList } },
    handler: async ({ rt, principal, params }) => {
      await ownedSession(rt, principal, params.id);
      return { status: 200, body: { items: await rt.context.listSnapshots(params.id) } };
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
    responses: { 200: { description: "The session's context afterwards", schema: ContextResult } },
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      await assertOwnsSnapshot(rt, principal, params.snapshotId);
      const globalContext = await rt.context.loadContext(params.snapshotId, defined({ sessionId: params.id, strategy: body.strategy, keys: body.keys }));
      return { status: 200, body: { globalContext } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/checkpoints',
    operationId: 'createCheckpoint',
    summary: 'Save a named checkpoint of the session (409 if the label exists, unless overwrite)',
    tag,
    rateClass: 'write',
    params: SessionParams,
    query: EmptyQuery,
    body: CheckpointBody,
    responses: { 201: { description: 'The checkpoint', schema: Checkpoint } },
    errors: [404, 409],
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      const cp = await rt.context.createCheckpoint(params.id, body.label, defined({ overwrite: body.overwrite }));
      return { status: 201, body: cp };
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
    method: 'delete',
    path: '/v1/sessions/:id/checkpoints/:label',
    operationId: 'deleteCheckpoint',
    summary: 'Delete a checkpoint and its snapshot',
    tag,
    rateClass: 'write',
    params: CheckpointParams,
    query: EmptyQuery,
    responses: { 204: { description: 'Deleted' } },
    handler: async ({ rt, principal, params }) => {
      await ownedSession(rt, principal, params.id);
      await rt.context.deleteCheckpoint(params.id, params.label);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/context/compress',
    operationId: 'compressContext',
    summary: "Compress the session's globalContext through the LLM: returned, and stored only with `save` (the original kept in a checkpoint)",
    tag,
    rateClass: 'message',
    params: SessionParams,
    query: EmptyQuery,
    body: CompressBody,
    responses: { 200: { description: 'The compressed context', schema: CompressResponse } },
    errors: [404, 409],
    handler: async ({ rt, principal, params, body }) => {
      const session = await ownedSession(rt, principal, params.id);
      const compressed = await rt.context.compressContext(session.globalContext, {
        maxTokens: body.maxTokens ?? 1000,
        model: session.preferences.defaultModel,
      });
      if (!body.save) return { status: 200, body: { globalContext: compressed, saved: false, checkpoint: null } };
      const label = `before-compress-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rt.context.createCheckpoint(params.id, label);
      const updated = await rt.sessions.update(params.id, { globalContext: compressed });
      return { status: 200, body: { globalContext: updated.globalContext, saved: true, checkpoint: label } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/checkpoints/:label/restore',
    operationId: 'restoreCheckpoint',
    summary: 'Restore the session context to a checkpoint',
    tag,
    rateClass: 'write',
    params: CheckpointParams,
    query: EmptyQuery,
    body: RestoreBody,
    responses: { 200: { description: "The session's context afterwards", schema: ContextResult } },
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      const globalContext = await rt.context.restoreCheckpoint(params.id, params.label, body.strategy ?? 'replace', body.keys);
      return { status: 200, body: { globalContext } };
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
    responses: { 200: { description: "The session's context afterwards", schema: ContextResult } },
    handler: async ({ rt, principal, params, body }) => {
      await ownedSession(rt, principal, params.id);
      await ownedSession(rt, principal, body.sourceSessionId);
      const globalContext = await rt.context.inheritContext(body.sourceSessionId, params.id, defined({ keys: body.keys }));
      return { status: 200, body: { globalContext } };
    },
  }),
];
