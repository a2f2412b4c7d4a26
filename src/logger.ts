import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks wherever they appear, so a token or key never reaches a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'apiKey',
  'token',
  '*.apiKey',
  '*.token',
  '*.password',
  '*.secret',
];

export interface LoggerOptions {
  /**
   * `json` (one JSON object per line), `pretty` (coloured, human-readable; needs `pino-pretty`,
   * else JSON), or `auto`: pretty when stdout is a terminal. Default `json`.
   */
  format?: 'auto' | 'json' | 'pretty';
}

/** pino-pretty is a development dependency: a production install has JSON logs only. */
function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** The root logger; components take `logger.child({ component })`. */
export function createLogger(level: string, base: Record<string, unknown> = {}, options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'json';
  const pretty = (format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true)) && prettyAvailable();
  return pino({
    level,
    base: { ...base },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}

/**
 * Writes `text` (a banner, not a log line) to stdout after every line `log` has logged so far: pino
 * writes asynchronously, so a plain `process.stdout.write` can overtake lines still in its buffer.
 * With JSON lines it goes through the logger's own destination (which keeps the order); with a
 * transport (pretty output on a terminal) straight to stdout.
 */
export function writeAfterLogs(log: Logger, text: string): void {
  const stream = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as { write?: (s: string) => unknown; fd?: number } | undefined;
  if (stream?.fd === 1 && typeof stream.write === 'function') stream.write(text);
  else process.stdout.write(text);
}
