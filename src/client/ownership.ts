import { ARTIFACT_ID_PATTERN, type Artifact } from '../artifacts/artifact.js';
import { NotFoundError } from '../errors/not-found-error.js';
import type { Runtime } from '../runtime/create-runtime.js';
import type { Session } from '../sessions/session.js';

/** What the ownership checks read: the stores and the producer (the API's runtime and the service producer both fit). */
export type TenancyPort = Pick<Runtime, 'sessions' | 'artifacts' | 'producer'>;

/** Who acts: the API's authenticated principal, or the user a trusted service names. */
export interface Caller {
  userId: string;
}

/*
 * Tenancy checks shared by the API and the in-network producer (one code path). A caller sees only their own sessions, artifacts and jobs. Anything else answers
 * exactly like an id that does not exist (same status, same message), so existence never leaks.
 */

const sessionNotFound = (id: string) => new NotFoundError(`session ${id} not found`);
const artifactNotFound = (id: string) => new NotFoundError(`artifact ${id} not found`);

async function orNotFound<T>(p: Promise<T>, fail: () => NotFoundError): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof NotFoundError) throw fail();
    throw err;
  }
}

/** The session if it exists and belongs to the caller; else NotFoundError. */
export async function ownedSession(rt: TenancyPort, who: Caller, sessionId: string): Promise<Session> {
  const s = await orNotFound(rt.sessions.get(sessionId), () => sessionNotFound(sessionId));
  if (s.userId !== who.userId) throw sessionNotFound(sessionId);
  return s;
}

/** A session id → owner lookup memoised for one request (lineage, attachments). */
export function sessionOwnerCache(rt: TenancyPort): (sessionId: string) => Promise<string | null> {
  const seen = new Map<string, Promise<string | null>>();
  return (sessionId) => {
    let p = seen.get(sessionId);
    if (!p) {
      p = rt.sessions.get(sessionId).then(
        (s) => s.userId,
        (err: unknown) => {
          if (err instanceof NotFoundError) return null;
          throw err;
        },
      );
      seen.set(sessionId, p);
    }
    return p;
  };
}

/** Artifact metadata (access not counted) if its session belongs to the caller; else NotFoundError. */
export async function ownedArtifact(
  rt: TenancyPort,
  who: Caller,
  artifactId: string,
  owner: (sessionId: string) => Promise<string | null> = sessionOwnerCache(rt),
): Promise<Artifact> {
  const a = await orNotFound(rt.artifacts.peek(artifactId), () => artifactNotFound(artifactId));
  if ((await owner(a.sessionId)) !== who.userId) throw artifactNotFound(artifactId);
  return a;
}

/** Every `art_<uuid>` string anywhere inside a JSON value (run params may name artifacts). */
export function artifactIdsIn(value: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 64) return out;
  if (typeof value === 'string') {
    if (ARTIFACT_ID_PATTERN.test(value)) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) artifactIdsIn(v, out, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) artifactIdsIn(v, out, depth + 1);
  }
  return out;
}

/** Checks that the caller owns every artifact id (NotFoundError naming the first that is not). */
export async function assertOwnsArtifacts(rt: TenancyPort, who: Caller, ids: Iterable<string>): Promise<void> {
  const owner = sessionOwnerCache(rt);
  for (const id of ids) await ownedArtifact(rt, who, id, owner);
}

/** A job's status if the caller owns it; else NotFoundError. */
export async function ownedJob(rt: TenancyPort, who: Caller, jobId: string) {
  const job = await orNotFound(rt.producer.getJob(jobId), () => new NotFoundError(`job ${jobId} not found`));
  if (job.userId !== who.userId) throw new NotFoundError(`job ${jobId} not found`);
  const { userId: _owner, ...status } = job;
  return status;
}

/**
 * A snapshot may be loaded only into a session of the user whose session it was taken from.
 * Snapshots are stored as artifacts of the source session, so the artifact's owner decides.
 */
export async function assertOwnsSnapshot(rt: TenancyPort, who: Caller, snapshotId: string): Promise<void> {
  if (!ARTIFACT_ID_PATTERN.test(snapshotId)) throw new NotFoundError(`snapshot ${snapshotId} not found`);
  try {
    await ownedArtifact(rt, who, snapshotId);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`snapshot ${snapshotId} not found`);
    throw err;
  }
}
