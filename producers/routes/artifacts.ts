import { pipeline } from 'node:stream/promises';
import type { Artifact } from '../../src/artifacts/artifact.js';
import { NotFoundError } from '../../src/errors/not-found-error.js';
import { ValidationError } from '../../src/errors/validation-error.js';
import { defineRoute, type RouteDef } from '../route-def.js';
import { ownedArtifact, ownedSession, sessionOwnerCache } from '../ownership.js';
import {
  ArtifactPage,
  ArtifactParams,
  EmptyQuery,
  LineageQuery,
  LinkArtifactBody,
  LineageResponse,
  ListArtifactsQuery,
  SessionParams,
  ShareBody,
  UploadQuery,
} from '../schemas.js';
import { contentDisposition, incomingFile, peekHead } from '../upload.js';
import { guessKind } from '../../src/artifacts/artifact-kind.js';
import { uploadSlots } from '../upload-slots.js';
import { ArtifactView, visibleArtifacts } from '../artifact-view.js';

const tag = 'artifacts';

export const artifactRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/artifacts',
    operationId: 'uploadArtifact',
    summary: 'Upload a file as an artifact: the raw body with its Content-Type, or multipart/form-data (first file part); streamed',
    tag,
    rateClass: 'upload',
    params: SessionParams,
    query: UploadQuery,
    upload: {
      mediaTypes: ['application/octet-stream', 'multipart/form-data', '*/*'],
      description: 'The file: any media type as the raw body, or one file part of a multipart form.',
    },
    responses: { 201: { description: 'The stored artifact', schema: ArtifactView } },
    handler: async ({ rt, principal, params, query, req, res }) => {
      let release: (() => void) | undefined;
      try {
        await ownedSession(rt, principal, params.id);
        release = uploadSlots(rt.config.artifacts.uploadsPerUser).take(principal.userId);
        const file = await incomingFile(req, rt.config.artifacts.maxBytes);
        // the kind (a JIL export, a CSV, …) is guessed from the name and the first bytes
        const { head, stream } = await peekHead(file.stream);
        const name = query.name ?? file.filename ?? null;
        const artifact = await rt.artifacts.store({
          sessionId: params.id,
          workflowName: query.workflowName ?? 'upload',
          artifactType: query.artifactType ?? 'data',
          content: stream,
          kind: guessKind({ name, mimeType: file.mimeType, contentType: query.contentType ?? null, head }),
          mimeType: file.mimeType,
          ...(query.contentType ? { contentType: query.contentType } : {}),
          createdBy: principal.userId,
          description: query.description ?? null,
          tags: query.tag ?? {},
          name,
        });
        const [view] = await visibleArtifacts(rt, principal, [artifact], sessionOwnerCache(rt));
        return { status: 201, body: view, headers: { Location: `/v1/artifacts/${artifact.artifactId}` } };
      } catch (err) {
        // the body may be unread: answer and close rather than read the rest
        if (!req.complete) res.setHeader('Connection', 'close');
        throw err;
      } finally {
        release?.();
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sessions/:id/artifacts',
    operationId: 'listArtifacts',
    summary: "A session's artifacts, newest first, with filters",
    tag,
    rateClass: 'read',
    params: SessionParams,
    query: ListArtifactsQuery,
    responses: { 200: { description: 'One page', schema: ArtifactPage } },
    handler: async ({ rt, principal, params, query }) => {
      const owner = sessionOwnerCache(rt);
      await ownedSession(rt, principal, params.id);
      const page = await rt.artifacts.list(params.id, {
        ...(query.workflowName ? { workflowName: query.workflowName } : {}),
        ...(query.artifactType ? { artifactType: query.artifactType } : {}),
        ...(query.tag ? { tags: query.tag } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      });
      const items = await visibleArtifacts(rt, principal, page.items, owner);
      return { status: 200, body: { items, nextCursor: page.nextCursor ?? null } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/artifacts/:id',
    operationId: 'getArtifact',
    summary: "An artifact's metadata",
    tag,
    rateClass: 'read',
    params: ArtifactParams,
    query: EmptyQuery,
    responses: { 200: { description: 'The artifact', schema: ArtifactView } },
    handler: async ({ rt, principal, params }) => {
      const owner = sessionOwnerCache(rt);
      await ownedArtifact(rt, principal, params.id, owner);
      const [artifact] = await visibleArtifacts(rt, principal, [await rt.artifacts.get(params.id)], owner);
      return { status: 200, body: artifact };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/artifacts/:id/content',
    operationId: 'getArtifactContent',
    summary: "An artifact's content, streamed with its media type",
    tag,
    rateClass: 'read',
    params: ArtifactParams,
    query: EmptyQuery,
    responses: { 200: { description: 'The bytes', mediaType: 'application/octet-stream' } },
    handler: async ({ rt, principal, params, res }) => {
      await ownedArtifact(rt, principal, params.id);
      const { artifact, body } = await rt.artifacts.getContent(params.id);
      res.status(200);
      res.setHeader('Content-Type', artifact.mimeType);
      res.setHeader('Content-Length', String(artifact.sizeBytes));
      res.setHeader('Content-Disposition', contentDisposition(artifact.name ?? artifact.artifactId));
      res.setHeader('ETag', `"${artifact.sha256}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      await pipeline(body, res);
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/artifacts/:id/lineage',
    operationId: 'getArtifactLineage',
    summary: 'Ancestors and descendants of an artifact (only those the caller may see)',
    tag,
    rateClass: 'read',
    params: ArtifactParams,
    query: LineageQuery,
    responses: { 200: { description: 'The lineage', schema: LineageResponse } },
    handler: async ({ rt, principal, params, query }) => {
      const owner = sessionOwnerCache(rt);
      await ownedArtifact(rt, principal, params.id, owner);
      const lin = await rt.artifacts.lineage(params.id, {
        ...(query.direction ? { direction: query.direction } : {}),
        ...(query.maxDepth !== undefined ? { maxDepth: query.maxDepth } : {}),
      });
      const mine = async (list: Artifact[]) => {
        const keep = await Promise.all(list.map(async (a) => (await owner(a.sessionId)) === principal.userId));
        return visibleArtifacts(rt, principal, list.filter((_, i) => keep[i]), owner);
      };
      const [artifact] = await visibleArtifacts(rt, principal, [lin.artifact], owner);
      const ancestors = await mine(lin.ancestors);
      const descendants = await mine(lin.descendants);
      const visible = new Set([lin.artifact.artifactId, ...ancestors.map((a) => a.artifactId), ...descendants.map((a) => a.artifactId)]);
      const edges = lin.edges.filter((e) => visible.has(e.parent) && visible.has(e.child));
      return { status: 200, body: { artifact, ancestors, descendants, edges } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/artifacts/:id/parents',
    operationId: 'linkArtifact',
    summary: 'Record that this artifact was derived from `parentId` (lineage); a link that would close a cycle is refused',
    tag,
    rateClass: 'write',
    params: ArtifactParams,
    query: EmptyQuery,
    body: LinkArtifactBody,
    responses: { 200: { description: 'The artifact with its parents', schema: ArtifactView } },
    errors: [400, 404],
    handler: async ({ rt, principal, params, body }) => {
      const owner = sessionOwnerCache(rt);
      await ownedArtifact(rt, principal, params.id, owner);
      await ownedArtifact(rt, principal, body.parentId, owner);
      if (body.parentId === params.id) throw new ValidationError('an artifact cannot be its own parent');
      const linked = await rt.artifacts.link(body.parentId, params.id);
      const [view] = await visibleArtifacts(rt, principal, [linked], owner);
      return { status: 200, body: view };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/artifacts/:id/share',
    operationId: 'shareArtifact',
    summary: "Share an artifact into another session (another user's only when the server allows it)",
    tag,
    rateClass: 'write',
    params: ArtifactParams,
    query: EmptyQuery,
    body: ShareBody,
    responses: { 201: { description: 'The copy in the target session', schema: ArtifactView } },
    handler: async ({ rt, principal, params, body }) => {
      await ownedArtifact(rt, principal, params.id);
      const owner = await sessionOwnerCache(rt)(body.targetSessionId);
      const allowed = owner === principal.userId || (owner !== null && rt.config.auth.allowCrossUserShare);
      if (!allowed) throw new NotFoundError(`session ${body.targetSessionId} not found`);
      const copy = await rt.artifacts.share(params.id, body.targetSessionId, { createdBy: principal.userId });
      const { s3Key: _internal, ...view } = copy;
      return { status: 201, body: view };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/artifacts/:id',
    operationId: 'deleteArtifact',
    summary: 'Delete an artifact (shared copies keep their content)',
    tag,
    rateClass: 'write',
    params: ArtifactParams,
    query: EmptyQuery,
    responses: { 204: { description: 'Deleted' } },
    handler: async ({ rt, principal, params }) => {
      await ownedArtifact(rt, principal, params.id);
      await rt.artifacts.delete(params.id);
      return { status: 204 };
    },
  }),
];
