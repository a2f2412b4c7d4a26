import { createLogger } from '../src/logger.js';
import { SessionManager } from '../src/sessions/session-manager.js';
import { startTestServices } from '../test/support/test-services.js';
import { benchStorage, countRequests, peakRss } from './stats.js';

export interface AppendCost {
  messages: number;
  writers: number;
  /** DynamoDB write requests (PutItem, UpdateItem, BatchWriteItem, DeleteItem) per appended message. */
  dynamoWritesPerMessage: number;
  /** Every DynamoDB request per appended message (reads too). */
  dynamoRequestsPerMessage: number;
  /** Redis round trips (socket writes: a pipeline or a script is one) per appended message. */
  redisRoundTripsPerMessage: number;
  byCommand: Record<string, number>;
  messagesPerSec: number;
  peakRssMb: number;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'BatchWriteItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand']);

/**
 * The cost of appending a message to a session, counted rather than timed: `writers` concurrent
 * writers append to one session through SessionManager.addMessage on the embedded DynamoDB
 * (dynalite). An SDK middleware counts DynamoDB requests by command; Redis round trips are counted
 * as writes on the client's socket. Messages/s on the embedded store is given for reference.
 */
export async function benchSessionAppend(opts: { writers?: number; perWriter?: number } = {}): Promise<AppendCost> {
  const writers = opts.writers ?? 50;
  const perWriter = opts.perWriter ?? 40;
  const t = await startTestServices({}, benchStorage());
  const rss = peakRss();
  try {
    const dynamo = countRequests(t.services.dynamo);
    let counting = false;
    const redis = t.services.redis;
    let redisWrites = 0;
    const stream = (redis as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
    const write = stream.write.bind(stream);
    stream.write = (...a: unknown[]) => {
      if (counting) redisWrites++;
      return write(...a);
    };
    const sessions = new SessionManager({ services: t.services, ttlHours: 24, cacheMessages: 100, log: createLogger('silent') });
    const s = await sessions.create('bench');
    await sessions.addMessage(s.sessionId, { role: 'user', content: 'warm-up' });
    counting = dynamo.counting = true;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) await sessions.addMessage(s.sessionId, { role: 'user', content: `writer ${w} message ${i}` });
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    counting = dynamo.counting = false;
    const { byCommand } = dynamo;
    const messages = writers * perWriter;
    const total = dynamo.total();
    const writesCount = Object.entries(byCommand).reduce((a, [k, v]) => a + (WRITES.has(k) ? v : 0), 0);
    return {
      messages,
      writers,
      dynamoWritesPerMessage: writesCount / messages,
      dynamoRequestsPerMessage: total / messages,
      redisRoundTripsPerMessage: redisWrites / messages,
      byCommand,
      messagesPerSec: messages / seconds,
      peakRssMb: rss.stop(),
    };
  } finally {
    await t.cleanup();
  }
}
