import { z } from 'zod';
import { ArtifactId } from '../artifacts/artifact.js';
import { ValidationError } from '../errors/validation-error.js';
import { RunRequest, runRequestToSpec } from '../planning/run-spec.js';
import { parsePart } from './parse-input.js';
import { MAX_MESSAGE_CHARS } from './limits.js';
import { artifactIdsIn, assertOwnsArtifacts, ownedSession, type Caller, type TenancyPort } from './ownership.js';
import type { EnqueueMessageResult, EnqueueResult, FlowView } from './producer-api.js';

/*
 * The one path from a request to the queues, for the API's routes and the in-network producer alike:
 * validate (the same zod schemas), check tenancy (the caller's session, the caller's artifacts),
 * plan, and enqueue through the Producer (which owns idempotency). Nothing is enqueued when a check fails.
 */

/** An idempotency key: the same key (per user) twice gives the first job. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'idempotency keys are 1-200 printable ASCII characters');

/** A message to the assistant. */
export const MessageRequest = z
  .object({
    content: z.string().min(1).max(MAX_MESSAGE_CHARS, `a message is at most ${MAX_MESSAGE_CHARS} characters; attach longer text as a file`),
    artifacts: z.array(ArtifactId).max(50).optional().describe('Artifact ids attached to the message.'),
    idempotencyKey: IdempotencyKey.optional(),
  })
  .strict();
export type MessageRequest = z.input<typeof MessageRequest>;

/** A key given twice (header and body) must agree; either alone is fine. */
function oneKey(a: string | undefined, b: string | undefined): string | undefined {
  if (a !== undefined && b !== undefined && a !== b) throw new ValidationError('Idempotency-Key header and body idempotencyKey differ');
  return a ?? b;
}

/** Validates, checks the session and every attachment are the caller's, records and enqueues the message. */
export async function submitMessage(
  rt: TenancyPort,
  who: Caller,
  sessionId: string,
  input: MessageRequest,
  idempotencyKey?: string,
): Promise<EnqueueMessageResult> {
  const body = parsePart(MessageRequest, input, 'body');
  const key = oneKey(idempotencyKey === undefined ? undefined : parsePart(IdempotencyKey, idempotencyKey, 'header'), body.idempotencyKey);
  await ownedSession(rt, who, sessionId);
  const artifacts = [...new Set(body.artifacts ?? [])];
  await assertOwnsArtifacts(rt, who, artifacts);
  return rt.producer.enqueueMessage({ sessionId, userId: who.userId, content: body.content, artifacts, idempotencyKey: key });
}

/**
 * Validates and plans a run request, checks the session and every artifact it names are the caller's,
 * then enqueues it (or, with `dryRun`, returns the compiled flow and enqueues nothing).
 */
export async function submitRun(
  rt: TenancyPort,
  who: Caller,
  sessionId: string,
  input: z.input<typeof RunRequest>,
  o: { idempotencyKey?: string | undefined; dryRun?: boolean } = {},
): Promise<(EnqueueResult & { runId: string }) | FlowView> {
  const body = parsePart(RunRequest, input, 'body');
  const key = oneKey(o.idempotencyKey === undefined ? undefined : parsePart(IdempotencyKey, o.idempotencyKey, 'header'), body.idempotencyKey);
  await ownedSession(rt, who, sessionId);
  const spec = runRequestToSpec(body);
  // parameters may name artifacts: every one must be the caller's
  await assertOwnsArtifacts(rt, who, artifactIdsIn(spec));
  if (o.dryRun) return rt.producer.dryRun(spec, { userId: who.userId, sessionId });
  return rt.producer.enqueueRun({ sessionId, userId: who.userId, spec, idempotencyKey: key });
}
