import { submitRun } from '../../src/client/requests.js';
import { defineRoute, type RouteDef } from '../route-def.js';
import { EmptyQuery, FlowViewResponse, RunAccepted, RunBody, RunQuery, SessionParams, WorkflowsResponse } from '../schemas.js';
import { idempotencyKeyOf } from './messages.js';

export const runRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/v1/sessions/:id/runs',
    operationId: 'startRun',
    summary: 'Run a workflow, chain or DAG directly, without the LLM (`?dryRun=true`: compile only)',
    tag: 'runs',
    rateClass: 'message',
    params: SessionParams,
    query: RunQuery,
    body: RunBody,
    responses: {
      202: { description: 'Enqueued', schema: RunAccepted },
      200: { description: 'Dry run: the compiled flow; nothing enqueued', schema: FlowViewResponse },
    },
    handler: async ({ rt, principal, params, query, body, req }) => {
      const idempotencyKey = idempotencyKeyOf(req.headers['idempotency-key'], body.idempotencyKey);
      const r = await submitRun(rt, principal, params.id, body, { idempotencyKey, dryRun: query.dryRun === true });
      if (!('jobId' in r)) return { status: 200, body: r };
      return { status: 202, body: { jobId: r.jobId, runId: r.runId, duplicate: r.duplicate } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/workflows',
    operationId: 'listWorkflows',
    summary: 'What the assistant can run: every workflow with its parameter schema',
    tag: 'runs',
    rateClass: 'read',
    query: EmptyQuery,
    responses: { 200: { description: 'The registry', schema: WorkflowsResponse } },
    handler: async ({ rt }) => ({ status: 200, body: { workflows: rt.producer.registry.capabilities() } }),
  }),
];
