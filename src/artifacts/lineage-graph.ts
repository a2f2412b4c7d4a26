import type { Artifact, LineageEdge } from './artifact.js';
import type { ArtifactTable } from './artifact-table.js';

/** Hard cap on nodes one traversal visits, so a huge graph cannot run away with memory. */
export const MAX_TRAVERSAL_NODES = 10_000;

/**
 * Breadth-first walk from `start` along `parentArtifacts` (up) or `childArtifacts` (down), at most
 * `maxDepth` levels. Missing (deleted) artifacts are skipped. Going down, a child is followed only
 * if it really lists the node as a parent (the reverse index may be stale). Returns the artifacts
 * reached (nearest first) and the edges walked.
 */
export async function walk(
  table: ArtifactTable,
  start: Artifact,
  direction: 'up' | 'down',
  maxDepth: number,
): Promise<{ nodes: Artifact[]; edges: LineageEdge[] }> {
  const seen = new Set<string>([start.artifactId]);
  const nodes: Artifact[] = [];
  const edges: LineageEdge[] = [];
  let frontier: Artifact[] = [start];
  for (let depth = 0; depth < maxDepth && frontier.length && seen.size < MAX_TRAVERSAL_NODES; depth++) {
    const nextIds = new Set<string>();
    for (const a of frontier) for (const id of direction === 'up' ? a.parentArtifacts : a.childArtifacts) nextIds.add(id);
    const found = await table.readMany(nextIds);
    const next: Artifact[] = [];
    for (const a of frontier) {
      for (const id of direction === 'up' ? a.parentArtifacts : a.childArtifacts) {
        const other = found.get(id);
        if (!other) continue;
        if (direction === 'down' && !other.parentArtifacts.includes(a.artifactId)) continue;
        edges.push(direction === 'up' ? { parent: id, child: a.artifactId } : { parent: a.artifactId, child: id });
        if (!seen.has(id)) {
          seen.add(id);
          nodes.push(other);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  return { nodes, edges };
}

/**
 * If adding the edge `parent → child` would close a cycle, returns the cycle as a path of ids
 * (`[child, …, parent, child]`); otherwise undefined. Follows `parentArtifacts` (the source of truth)
 * upward from `parent` looking for `child`.
 */
export async function findCycle(table: ArtifactTable, parent: Artifact, childId: string): Promise<string[] | undefined> {
  if (parent.artifactId === childId) return [childId, childId];
  /** reachedFrom[x] = the node whose parent list led to x (x is a parent of reachedFrom[x]). */
  const reachedFrom = new Map<string, string>();
  const seen = new Set<string>([parent.artifactId]);
  let frontier: Artifact[] = [parent];
  while (frontier.length && seen.size < MAX_TRAVERSAL_NODES) {
    const ids = new Set<string>();
    for (const a of frontier) for (const p of a.parentArtifacts) if (!seen.has(p)) ids.add(p);
    if (!ids.size) break;
    for (const a of frontier) for (const p of a.parentArtifacts) if (!reachedFrom.has(p)) reachedFrom.set(p, a.artifactId);
    if (ids.has(childId)) {
      const path = [childId];
      let cur = childId;
      while (cur !== parent.artifactId) {
        cur = reachedFrom.get(cur)!;
        path.push(cur);
      }
      path.push(childId);
      return path;
    }
    const found = await table.readMany(ids);
    for (const id of ids) seen.add(id);
    frontier = [...found.values()];
  }
  return undefined;
}
