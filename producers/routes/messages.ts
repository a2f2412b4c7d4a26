import { ValidationError } from '../../src/errors/validation-error.js';
import { defineRoute, type RouteDef } from '../route-def.js';
import { submitMessage } from '../../src/client/requests.js';
import { ownedJob } from '../ownership.js';
import { CancelResponse, EmptyQuery, IdempotencyKey, JobParams, JobStatusResponse, JobWaitQuery, MessageAccepted, PostMessageBody, SessionParams } from '../schemas.js';
import { parsePart } from '../validate.js';

/** `Idempotency-Key` header or body field (they must agree when both are given). */
export function idempotencyKeyOf(header: string | string[] | undefined, fromBody: string | undefined): string | undefined {
  if (Array.isArray(header)) throw new ValidationError('Give at most one Idempotency-Key header');
  const fromHeader = header === undefined ? undefined : parsePart(IdempotencyKey, header, 'header');
  if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) {
    throw new ValidationError('Idempotency-Key header and body idempotencyKey differ');
  }
  return fromHeader ?? fromBody;
}

export const messageRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/messages',
    operationId: 'postMessage',
    summary: 'Send a message to the assistant (enqueues the orchestrator job)',
    tag: 'messages',
    rateClass: 'message',
    params: SessionParams,
    query: EmptyQuery,
    body: PostMessageBody,
    responses: { 202: { description: 'Accepted; follow the job or the session events', schema: MessageAccepted } },
    handler: async ({ rt, principal, params, body, req }) => {
      const idempotencyKey = idempotencyKeyOf(req.headers['idempotency-key'], body.idempotencyKey);
      const r = await submitMessage(rt, principal, params.id, body, idempotencyKey);
      return { status: 202, body: { messageId: r.messageId, jobId: r.jobId, duplicate: r.duplicate } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/jobs/:jobId',
    operationId: 'getJob',
    summary: "A job's state, progress, result or error (the caller's jobs only)",
    tag: 'jobs',
    rateClass: 'read',
    params: JobParams,
    query: JobWaitQuery,
    responses: { 200: { description: 'The job (with `?wait=N`: once finished, or after N seconds as it is then)', schema: JobStatusResponse } },
    handler: async ({ rt, principal, params, query }) => {
      const now = await ownedJob(rt, principal, params.jobId);
      if (!query.wait || now.state === 'completed' || now.state === 'failed') return { status: 200, body: now };
      const { userId: _owner, ...later } = await rt.producer.waitForJob(params.jobId, query.wait * 1000);
      return { status: 200, body: later };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/jobs/:jobId/cancel',
    operationId: 'cancelJob',
    summary: 'Cancel a message job or run: steps not started are removed, active ones finish or fail as their policy says',
    tag: 'jobs',
    rateClass: 'write',
    params: JobParams,
    query: EmptyQuery,
    responses: { 200: { description: 'What the cancel did', schema: CancelResponse } },
    handler: async ({ rt, principal, params }) => {
      await ownedJob(rt, principal, params.jobId);
      return { status: 200, body: await rt.producer.cancel(params.jobId) };
    },
  }),
];
