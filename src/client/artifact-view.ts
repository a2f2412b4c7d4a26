import { Artifact } from '../artifacts/artifact.js';
import { NotFoundError } from '../errors/not-found-error.js';
import type { Caller, TenancyPort } from './ownership.js';

/** An artifact as the API shows it: no storage location (`s3Key` is internal). */
export const ArtifactView = Artifact.omit({ s3Key: true });
export type ArtifactView = Omit<Artifact, 's3Key'>;

/**
 * Artifacts as a caller may see them, without `s3Key`: lineage references (`parentArtifacts`, `childArtifacts`,
 * `derivedFrom`) that point into sessions of other users are removed, so an artifact's metadata
 * never reveals another user's ids. `owner` is the request's memoised session → user lookup.
 */
export async function visibleArtifacts(
  rt: Pick<TenancyPort, 'artifacts'>,
  who: Caller,
  artifacts: Artifact[],
  owner: (sessionId: string) => Promise<string | null>,
): Promise<ArtifactView[]> {
  const visible = new Map<string, Promise<boolean>>();
  for (const a of artifacts) if ((await owner(a.sessionId)) === who.userId) visible.set(a.artifactId, Promise.resolve(true));
  const isVisible = (id: string) => {
    let p = visible.get(id);
    if (!p) {
      p = rt.artifacts.peek(id).then(
        async (a) => (await owner(a.sessionId)) === who.userId,
        (err: unknown) => {
          if (err instanceof NotFoundError) return false;
          throw err;
        },
      );
      visible.set(id, p);
    }
    return p;
  };
  const keep = async (ids: string[]) => {
    const flags = await Promise.all(ids.map(isVisible));
    return ids.filter((_, i) => flags[i]);
  };
  return Promise.all(
    artifacts.map(async ({ s3Key: _internal, ...a }) => {
      const hiddenSource = a.derivedFrom !== null && !(await isVisible(a.derivedFrom));
      return {
        ...a,
        parentArtifacts: await keep(a.parentArtifacts),
        childArtifacts: await keep(a.childArtifacts),
        derivedFrom: hiddenSource ? null : a.derivedFrom,
        description: hiddenSource && a.description ? a.description.replaceAll(a.derivedFrom!, "another user's artifact") : a.description,
      };
    }),
  );
}
