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

/** The root logger; components take `logger.child({ component })`. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { ...base }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
