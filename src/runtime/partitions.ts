import keySlot from 'cluster-key-slot';

/** Redis Cluster hash slots. */
export const SLOTS = 16_384;

/**
 * The hash tag (without braces) of each queue partition. One partition is today's layout: the
 * queue prefix itself (`{dataops}`). With N > 1, partition i gets `<prefix>-p<i>` plus the first
 * suffix `-<k>` that puts its slot in the i-th N-th of the slot space, so on a cluster whose masters
 * hold equal slot ranges (what `redis-cli --cluster create` makes) the partitions land on different
 * shards. Deterministic: every process computes the same tags.
 */
export function partitionTags(prefix: string, partitions: number): string[] {
  if (partitions <= 1) return [prefix];
  const tags: string[] = [];
  for (let i = 0; i < partitions; i++) {
    const lo = Math.floor((i * SLOTS) / partitions);
    const hi = Math.floor(((i + 1) * SLOTS) / partitions);
    for (let k = 0; ; k++) {
      const tag = `${prefix}-p${i}-${k}`;
      const slot = keySlot(tag);
      if (slot >= lo && slot < hi) {
        tags.push(tag);
        break;
      }
    }
  }
  return tags;
}

/** The partition of a session: the same for every message and run of it. */
export function sessionPartition(sessionId: string, partitions: number): number {
  return partitions <= 1 ? 0 : keySlot(sessionId) % partitions;
}
