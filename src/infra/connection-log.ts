import type { EventEmitter } from 'node:events';
import type { Logger } from '../logger.js';

/**
 * Gives a Redis connection (ioredis client, BullMQ Queue/Worker/FlowProducer/QueueEvents) an
 * `error` listener, so a Redis outage never reaches ioredis's "Unhandled error event" console dump.
 * With a logger, the first error of an outage is logged as one JSON line (repeats are dropped until
 * the connection is ready again, which is logged too); without one, errors are swallowed here and
 * surface where a command fails.
 */
export function logConnectionErrors(emitter: EventEmitter, name: string, log?: Logger): void {
  let down = false;
  emitter.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    log?.warn({ connection: name, err: (err as Error)?.message ?? String(err) }, 'redis connection lost; retrying');
  });
  emitter.on('ready', () => {
    if (!down) return;
    down = false;
    log?.info({ connection: name }, 'redis connection restored');
  });
}
