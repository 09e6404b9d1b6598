/**
 * Structured logs: one JSON object per line on stdout, `{"time","level","msg",...fields}`, which
 * `kubectl logs` shows as written and every log collector parses without configuration.
 */
import { optionalChoice } from './env';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Optional everywhere: how much to log. */
export const LOG_LEVEL = optionalChoice('LOG_LEVEL', LOG_LEVELS, 'info');

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Writes lines at `level` and above to `write` (stdout unless a test passes its own). */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (lineLevel: LogLevel) =>
    (msg: string, fields: LogFields = {}): void => {
      if (LOG_LEVELS.indexOf(lineLevel) < threshold) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg, ...plain(fields) })}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// An Error stringifies to {}: log its message (and code, when it has one) instead.
function plain(fields: LogFields): LogFields {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, value instanceof Error ? errorText(value) : value]),
  );
}

export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(String(code)) ? `${err.message} (${code})` : err.message;
}
