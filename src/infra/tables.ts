import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Logger } from '../logger.js';

/** Physical table names, derived from prefix + logical name + suffix. */
export interface TableNames {
  /** One item per session (small: counters, status, preferences, context). */
  sessions: string;
  /** One item per message: partition `sessionId`, sort `seq` (1, 2, 3 …). */
  messages: string;
  /** One item per artifact's metadata. */
  artifacts: string;
  /** One item per stored S3 object with the count of artifacts that refer to it. */
  blobs: string;
  /** Named checkpoints: partition `sessionId`, sort `label`. */
  checkpoints: string;
}

export const SESSIONS_BY_USER_INDEX = 'byUser';
export const ARTIFACTS_BY_SESSION_INDEX = 'bySession';

export function tableNames(prefix: string, suffix: string): TableNames {
  const n = (name: string) => `${prefix}${name}${suffix}`;
  return { sessions: n('sessions'), messages: n('messages'), artifacts: n('artifacts'), blobs: n('blobs'), checkpoints: n('checkpoints') };
}

type Def = { input: CreateTableCommandInput; ttlAttribute?: string };

function definitions(t: TableNames): Def[] {
  const s = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
  const n = (name: string) => ({ AttributeName: name, AttributeType: 'N' as const });
  const hash = (name: string) => ({ AttributeName: name, KeyType: 'HASH' as const });
  const range = (name: string) => ({ AttributeName: name, KeyType: 'RANGE' as const });
  const all = { ProjectionType: 'ALL' as const };
  return [
    {
      input: {
        TableName: t.sessions,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [s('sessionId'), s('userId'), s('lastActive')],
        KeySchema: [hash('sessionId')],
        GlobalSecondaryIndexes: [{ IndexName: SESSIONS_BY_USER_INDEX, KeySchema: [hash('userId'), range('lastActive')], Projection: all }],
      },
      ttlAttribute: 'expiresAtEpoch',
    },
    {
      input: {
        TableName: t.messages,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [s('sessionId'), n('seq')],
        KeySchema: [hash('sessionId'), range('seq')],
      },
      ttlAttribute: 'expiresAtEpoch',
    },
    {
      input: {
        TableName: t.artifacts,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [s('artifactId'), s('sessionId'), s('createdAt')],
        KeySchema: [hash('artifactId')],
        GlobalSecondaryIndexes: [{ IndexName: ARTIFACTS_BY_SESSION_INDEX, KeySchema: [hash('sessionId'), range('createdAt')], Projection: all }],
      },
    },
    {
      input: { TableName: t.blobs, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [s('s3Key')], KeySchema: [hash('s3Key')] },
    },
    {
      input: {
        TableName: t.checkpoints,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [s('sessionId'), s('label')],
        KeySchema: [hash('sessionId'), range('label')],
      },
    },
  ];
}

async function waitActive(client: DynamoDBClient, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await client.send(new DescribeTableCommand({ TableName: name }));
    const gsisReady = (d.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (d.Table?.TableStatus === 'ACTIVE' && gsisReady) return;
    if (Date.now() > deadline) throw new Error(`table ${name} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Creates every table (with its GSIs and TTL attribute) if missing; safe to run from many processes
 * at once. DynamoDB's native TTL is enabled where the server supports it (dynalite does not; the
 * maintenance jobs expire items explicitly either way).
 */
export async function bootstrapTables(client: DynamoDBClient, names: TableNames, log?: Logger): Promise<void> {
  for (const def of definitions(names)) {
    const name = def.input.TableName!;
    let exists = true;
    try {
      await client.send(new DescribeTableCommand({ TableName: name }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      exists = false;
    }
    if (!exists) {
      try {
        await client.send(new CreateTableCommand(def.input));
        log?.info({ table: name }, 'created table');
      } catch (err) {
        if (!(err instanceof ResourceInUseException)) throw err;
      }
    }
    await waitActive(client, name);
    if (def.ttlAttribute && !exists) {
      try {
        await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true } }));
      } catch (err) {
        log?.debug({ table: name, err: (err as Error).name }, 'native TTL not available; maintenance jobs expire items');
      }
    }
  }
}
