import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../errors/service-unavailable-error.js';

/** True when a DynamoDB call failed only because its ConditionExpression was false. */
export function isConditionFailed(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Deletes `keys` from `table` with BatchWriteItem in pages of 25, re-sending UnprocessedItems with
 * exponential backoff. Throws ServiceUnavailableError if items stay unprocessed after `attempts`.
 */
export async function batchDelete(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
  attempts = 8,
): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= attempts) {
        throw new ServiceUnavailableError(`BatchWriteItem left ${pending.length} items unprocessed in ${table}`);
      }
      if (attempt > 0) await sleep(Math.min(50 * 2 ** attempt, 2000));
      const out = await doc.send(
        new BatchWriteCommand({ RequestItems: { [table]: pending.map((Key) => ({ DeleteRequest: { Key } })) } }),
      );
      pending = (out.UnprocessedItems?.[table] ?? []).flatMap((r) => (r.DeleteRequest?.Key ? [r.DeleteRequest.Key] : []));
    }
  }
}

/**
 * Runs a Query until `max` items are collected or the partition is exhausted (a single Query page
 * stops at 1 MB). Returns the items and the key to resume after the last returned item, if more may follow.
 */
export async function queryUpTo(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  max: number,
): Promise<{ items: Record<string, unknown>[]; lastKey: Record<string, unknown> | undefined }> {
  const items: Record<string, unknown>[] = [];
  let start = input.ExclusiveStartKey;
  let lastKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({ ...input, Limit: max - items.length, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(out.Items ?? []));
    lastKey = out.LastEvaluatedKey;
    start = lastKey;
  } while (start && items.length < max);
  return { items, lastKey };
}
