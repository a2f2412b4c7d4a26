import { z } from 'zod';
import { isCluster, type RedisClient } from '../infra/redis.js';
import type { Plan } from '../planning/plan.js';
import { runScript } from '../sessions/cache-scripts.js';

/** One step of a started run as listeners see it: enough to draw the plan as a graph. */
export const RunStepView = z
  .object({
    id: z.string(),
    workflow: z.string(),
    node: z.string(),
    dependsOn: z.array(z.string()),
    /** The planner added the step to produce what a requested step needs (e.g. a parse before a convert). */
    inserted: z.boolean().optional(),
  })
  .strict();
export type RunStepView = z.infer<typeof RunStepView>;

/** The steps of a plan as `run.started` shows them; steps of instances the planner inserted are marked. */
export function runStepViews(plan: Pick<Plan, 'steps' | 'prerequisites'>): RunStepView[] {
  const inserted = new Set(plan.prerequisites.map((p) => p.instance));
  return plan.steps.map((s) => ({
    id: s.id,
    workflow: s.workflow,
    node: s.node,
    dependsOn: s.dependsOn,
    ...(inserted.has(s.instance) ? { inserted: true } : {}),
  }));
}

/**
 * Typed events a session's listeners receive (WebSocket clients, the CLI). Workers publish them on a
 * Redis pub/sub channel per session, so they arrive whichever process ran the job.
 *
 * Terminal events, exactly one each: a message job ends with one `reply` (it completed) or one
 * `job.failed` (it failed for good); a run ends with one `run.finished` (`completed` or `failed`).
 */
export const SessionEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.queued'), jobId: z.string(), kind: z.enum(['message', 'run']), at: z.string() }).strict(),
  z.object({ type: z.literal('job.progress'), jobId: z.string(), progress: z.number(), message: z.string().optional(), at: z.string() }).strict(),
  z
    .object({
      type: z.literal('run.started'),
      jobId: z.string(),
      runId: z.string(),
      workflow: z.string(),
      /** Step ids of the plan. */
      nodes: z.array(z.string()),
      /** The plan's steps with their dependencies (the web app draws the run graph from them). */
      steps: z.array(RunStepView).optional(),
      at: z.string(),
    })
    .strict(),
  z.object({ type: z.literal('node.started'), runId: z.string(), step: z.string(), workflow: z.string(), node: z.string(), at: z.string() }).strict(),
  z
    .object({
      type: z.literal('node.finished'),
      runId: z.string(),
      step: z.string(),
      workflow: z.string(),
      node: z.string(),
      artifacts: z.array(z.string()),
      ms: z.number(),
      at: z.string(),
    })
    .strict(),
  z
    .object({ type: z.literal('node.failed'), runId: z.string(), step: z.string(), workflow: z.string(), node: z.string(), error: z.string(), willRetry: z.boolean(), at: z.string() })
    .strict(),
  z.object({ type: z.literal('node.skipped'), runId: z.string(), step: z.string(), reason: z.string(), at: z.string() }).strict(),
  z
    .object({ type: z.literal('artifact.created'), artifactId: z.string(), workflow: z.string(), contentType: z.string(), name: z.string().nullable(), at: z.string() })
    .strict(),
  z
    .object({
      type: z.literal('run.finished'),
      jobId: z.string(),
      runId: z.string(),
      status: z.enum(['completed', 'failed']),
      artifacts: z.array(z.string()),
      error: z.string().optional(),
      at: z.string(),
    })
    .strict(),
  z
    .object({
      type: z.literal('reply'),
      jobId: z.string(),
      messageId: z.string(),
      content: z.string(),
      workflow: z.string().nullable(),
      artifacts: z.array(z.string()),
      at: z.string(),
    })
    .strict(),
  z.object({ type: z.literal('job.failed'), jobId: z.string(), error: z.string(), at: z.string() }).strict(),
]);
export type SessionEvent = z.infer<typeof SessionEvent>;
/** An event before its timestamp is stamped. */
export type SessionEventInput = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'at'> : never) : never;

/**
 * The pub/sub channel of one session, under the session's `{id}` hash tag (as its terminal-event
 * markers), so a script can claim a marker and publish on the channel in one slot.
 */
export function sessionChannel(keyPrefix: string, sessionId: string): string {
  return `${keyPrefix}events:{${sessionId}}`;
}

/** The "already sent" marker of a job's terminal event: in the slot of its session's channel. */
export function terminalMarkerKey(keyPrefix: string, sessionId: string, jobId: string): string {
  return `${keyPrefix}terminal:{${sessionId}}:${jobId}`;
}

/**
 * KEYS: marker. ARGV: channel, payload, ttlMs, publish command (`PUBLISH`, or `SPUBLISH` on a
 * cluster: Redis 7 allows it in a script when the channel hashes to the script's slot).
 * `SET marker NX PX ttl` and the publish in one atomic step: the event is sent exactly when the
 * marker is new, so a retried job (a crash after the publish, a stalled job run twice) does not send
 * it twice, and no crash can leave the marker set with the event unsent. -1 when it was sent already.
 */
const PUBLISH_ONCE = `if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3]) then return redis.call(ARGV[4], ARGV[1], ARGV[2]) end return -1`;

/** How long a terminal event's "already sent" marker is kept (a day, as long as finished jobs are). */
const TERMINAL_MARKER_MS = 24 * 3600 * 1000;

/**
 * Publishes a job's terminal event (`reply`, `job.failed`) at most once per `jobId`, whichever
 * process or attempt sends it, in one script on one Redis and on a cluster alike. Returns false
 * when it had been sent already.
 */
export async function publishTerminalEvent(
  redis: RedisClient,
  keyPrefix: string,
  sessionId: string,
  jobId: string,
  event: SessionEventInput,
): Promise<boolean> {
  const stamped = { ...event, at: new Date().toISOString() };
  const command = isCluster(redis) ? 'SPUBLISH' : 'PUBLISH';
  const r = await runScript(
    redis,
    PUBLISH_ONCE,
    [terminalMarkerKey(keyPrefix, sessionId, jobId)],
    [sessionChannel(keyPrefix, sessionId), JSON.stringify(stamped), TERMINAL_MARKER_MS, command],
  );
  return r !== -1;
}

/** Publishes one event to the session's channel (fire-and-forget semantics of pub/sub). */
export async function publishSessionEvent(redis: RedisClient, keyPrefix: string, sessionId: string, event: SessionEventInput): Promise<void> {
  const stamped = { ...event, at: new Date().toISOString() };
  const channel = sessionChannel(keyPrefix, sessionId);
  const payload = JSON.stringify(stamped);
  await (isCluster(redis) ? redis.spublish(channel, payload) : redis.publish(channel, payload));
}
