import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { UnrecoverableError, type Job } from 'bullmq';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Config } from '../config.js';
import type { Services } from '../infra/services.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Queues } from './queues.js';

/** Names of the repeatable maintenance jobs (also their scheduler ids). */
export const MAINTENANCE_JOBS = {
  sessions: 'expire-sessions',
  artifacts: 'expire-artifacts',
  pending: 'expire-pending-requests',
  uploads: 'abort-stale-uploads',
} as const;

/**
 * Creates or updates the BullMQ job schedulers (repeatable jobs) on the configured cron patterns.
 * Upserting is idempotent, so every maintenance process may call it at start.
 */
export async function scheduleMaintenance(queues: Queues, m: Config['maintenance']): Promise<void> {
  const q = queues.maintenance;
  const opts = { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } };
  await q.upsertJobScheduler(MAINTENANCE_JOBS.sessions, { pattern: m.cronSessions }, { name: MAINTENANCE_JOBS.sessions, opts });
  await q.upsertJobScheduler(MAINTENANCE_JOBS.artifacts, { pattern: m.cronArtifacts }, { name: MAINTENANCE_JOBS.artifacts, opts });
  await q.upsertJobScheduler(MAINTENANCE_JOBS.pending, { pattern: m.cronPending }, { name: MAINTENANCE_JOBS.pending, opts });
  // stale multipart uploads are swept on the artifact expiry schedule
  await q.upsertJobScheduler(MAINTENANCE_JOBS.uploads, { pattern: m.cronArtifacts }, { name: MAINTENANCE_JOBS.uploads, opts });
}

export interface MaintenanceDeps {
  services: Services;
  sessions: SessionManager;
  artifacts: ArtifactStore;
  pendingTtlMinutes: number;
  /** Finishes session deletes that crashed part-way (the session sweep calls it). Optional. */
  resumeDeletes?: () => Promise<number>;
  log: Logger;
}

/** The processor of the `maintenance` queue; returns how many items each job expired. */
export function createMaintenanceProcessor(deps: MaintenanceDeps) {
  return async (job: Job): Promise<{ expired: number }> => {
    const now = new Date();
    let expired: number;
    switch (job.name) {
      case MAINTENANCE_JOBS.sessions:
        expired = await deps.sessions.cleanupExpiredSessions(now);
        if (deps.resumeDeletes) await deps.resumeDeletes();
        break;
      case MAINTENANCE_JOBS.artifacts:
        expired = await deps.artifacts.cleanupExpired(now);
        break;
      case MAINTENANCE_JOBS.pending:
        expired = await expirePendingRequests(deps, now);
        break;
      case MAINTENANCE_JOBS.uploads:
        expired = await deps.artifacts.abortStaleUploads(now);
        break;
      default:
        throw new UnrecoverableError(`unknown maintenance job ${job.name}`);
    }
    deps.log.info({ job: job.name, expired }, 'maintenance done');
    return { expired };
  };
}

/**
 * Drops questions for missing parameters that nobody answered within the TTL. The clear is a
 * versioned update that re-checks the question is still the same one, so a fresh question asked
 * meanwhile survives.
 */
export async function expirePendingRequests(deps: MaintenanceDeps, now: Date): Promise<number> {
  const cutoff = now.getTime() - deps.pendingTtlMinutes * 60_000;
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.services.doc.send(
      new ScanCommand({
        TableName: deps.services.tables.sessions,
        ProjectionExpression: 'sessionId, pendingRequest',
        FilterExpression: 'attribute_exists(pendingRequest) AND pendingRequest <> :null',
        ExpressionAttributeValues: { ':null': null },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const sessionId = String(item.sessionId);
      let stale = false;
      await deps.sessions
        .updateWith(
          sessionId,
          (s) => {
            stale = Boolean(s.pendingRequest && Date.parse(s.pendingRequest.askedAt) < cutoff);
            return stale ? { pendingRequest: null } : {};
          },
          { touch: false },
        )
        .catch((err: unknown) => deps.log.warn({ sessionId, err: (err as Error).message }, 'could not clear a pending request'));
      if (stale) count++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}
