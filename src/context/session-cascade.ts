import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { NotFoundError } from '../errors/index.js';
import type { Logger } from '../logger.js';
import type { CheckpointTable } from './checkpoint-table.js';

/** Most passes over a session's artifacts before giving up (each pass deletes whole pages). */
const MAX_PASSES = 10_000;

/**
 * Removes what hangs off a session being deleted: its checkpoints, then every artifact of the
 * session — context snapshots included — through `ArtifactStore.delete`, so content shared into
 * other sessions keeps its references and stays readable there, and content nobody else refers to
 * goes from S3. Safe to run twice (what is already gone is skipped).
 */
export async function deleteSessionDependents(
  deps: { artifacts: ArtifactStore; checkpoints: CheckpointTable; log?: Logger | undefined },
  sessionId: string,
): Promise<{ artifacts: number; checkpoints: number }> {
  let checkpoints = 0;
  for (const cp of await deps.checkpoints.list(sessionId)) {
    if (await deps.checkpoints.delete(sessionId, cp.label)) checkpoints++;
  }
  let artifacts = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    // Always the first page: deleting while following a cursor would skip items.
    const page = await deps.artifacts.list(sessionId, { limit: 100 });
    if (page.items.length === 0) break;
    for (const a of page.items) {
      try {
        await deps.artifacts.delete(a.artifactId);
        artifacts++;
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err; // deleted meanwhile
      }
    }
  }
  deps.log?.info({ sessionId, artifacts, checkpoints }, 'session dependents deleted');
  return { artifacts, checkpoints };
}
