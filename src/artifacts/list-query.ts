import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Services } from '../infra/services.js';
import { ARTIFACTS_BY_SESSION_INDEX } from '../infra/tables.js';
import type { Artifact, ArtifactType } from './artifact.js';
import { decodeCursor, encodeCursor, type ListCursor } from './cursor.js';
import { fromItem } from './item-codec.js';

/** One page of `list()`. */
export interface ArtifactPage {
  /** Newest first. */
  items: Artifact[];
  /** Pass to the next call for the following page; null when there is none. */
  nextCursor: string | null;
}

export interface ListQuery {
  sessionId: string;
  workflowName?: string | undefined;
  artifactType?: ArtifactType | undefined;
  tags?: Record<string, string> | undefined;
  limit: number;
  cursor?: string | undefined;
}

function filterExpression(q: ListQuery) {
  const parts: string[] = [];
  const names: Record<string, string> = { '#sid': 'sessionId' };
  const values: Record<string, unknown> = { ':sid': q.sessionId };
  if (q.workflowName !== undefined) {
    parts.push('#wf = :wf');
    names['#wf'] = 'workflowName';
    values[':wf'] = q.workflowName;
  }
  if (q.artifactType !== undefined) {
    parts.push('#at = :at');
    names['#at'] = 'artifactType';
    values[':at'] = q.artifactType;
  }
  Object.entries(q.tags ?? {}).forEach(([k, v], i) => {
    parts.push(`#tags.#t${i} = :t${i}`);
    names['#tags'] = 'tags';
    names[`#t${i}`] = k;
    values[`:t${i}`] = v;
  });
  return { filter: parts.length ? parts.join(' AND ') : undefined, names, values };
}

const cursorOf = (a: { sessionId: unknown; createdAt: unknown; artifactId: unknown }): ListCursor => ({
  sessionId: String(a.sessionId),
  createdAt: String(a.createdAt),
  artifactId: String(a.artifactId),
});

/**
 * Pages through the bySession index newest first. Filters are applied by DynamoDB after reading, so
 * it keeps querying until `limit` matches are collected or the index is exhausted; when a read
 * returns more matches than needed, the cursor points at the last one returned, so none is skipped.
 */
export async function listArtifacts(services: Services, q: ListQuery): Promise<ArtifactPage> {
  const { filter, names, values } = filterExpression(q);
  let startKey: Record<string, unknown> | undefined = q.cursor ? { ...decodeCursor(q.cursor, q.sessionId) } : undefined;
  const items: Artifact[] = [];
  for (;;) {
    const remaining = q.limit - items.length;
    const r = await services.doc.send(
      new QueryCommand({
        TableName: services.tables.artifacts,
        IndexName: ARTIFACTS_BY_SESSION_INDEX,
        KeyConditionExpression: '#sid = :sid',
        ...(filter ? { FilterExpression: filter } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        // Unfiltered: read exactly what is needed. Filtered: read ahead, most rows may not match.
        Limit: filter ? Math.min(1000, Math.max(remaining * 4, 100)) : remaining,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const page = (r.Items ?? []).map((i) => fromItem(i));
    if (page.length >= remaining) {
      const taken = page.slice(0, remaining);
      items.push(...taken);
      const last = taken[taken.length - 1]!;
      const more = page.length > remaining || r.LastEvaluatedKey !== undefined;
      return { items, nextCursor: more ? encodeCursor(cursorOf(last)) : null };
    }
    items.push(...page);
    if (!r.LastEvaluatedKey) return { items, nextCursor: null };
    startKey = r.LastEvaluatedKey;
  }
}
