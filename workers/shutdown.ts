import type { Logger } from '../src/logger.js';

/**
 * SIGTERM/SIGINT: runs `graceful` (given the time it may spend on active jobs) and exits 0; the
 * process exits 1 at `timeoutMs` after the signal whatever is still pending (a job that ignores
 * the bound, a connection that does not close), and at once on a second signal. Jobs left active
 * are retried by another worker once their lock expires (lock duration + stalled interval).
 */
export function installShutdown(log: Logger, timeoutMs: number, graceful: (boundMs: number) => Promise<void>): void {
  let stopping = false;
  const exit = (code: number) => {
    // pino writes synchronously to stdout; exit in the next tick so the last line is out
    setImmediate(() => process.exit(code));
  };
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    const started = Date.now();
    log.info({ signal, timeoutMs }, 'shutting down: finishing active jobs');
    setTimeout(() => {
      log.warn({ ms: Date.now() - started }, 'shutdown timeout reached: exiting now (active jobs will be retried)');
      exit(1);
    }, timeoutMs).unref();
    // active jobs get most of the bound; closing connections gets the rest
    const jobsBound = Math.max(0, timeoutMs - Math.min(2000, Math.floor(timeoutMs / 4)));
    void graceful(jobsBound).then(
      () => {
        log.info({ ms: Date.now() - started }, 'shut down cleanly');
        exit(0);
      },
      (err: unknown) => {
        log.error({ err: (err as Error).message }, 'unclean shutdown');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
