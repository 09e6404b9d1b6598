/**
 * Structured logs: one JSON object per line on stdout, which the awslogs driver ships to
 * CloudWatch Logs, where Logs Insights can filter on any field.
 */
const RANK = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof RANK;
type Fields = Readonly<Record<string, unknown>>;

let threshold: number = RANK.info;

function write(level: Level, msg: string, fields: Fields): void {
  if (RANK[level] < threshold) return;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

export const log = {
  /** Drops lines below `level` (LOG_LEVEL). */
  setLevel(level: Level): void {
    threshold = RANK[level];
  },
  debug: (msg: string, fields: Fields = {}) => write('debug', msg, fields),
  info: (msg: string, fields: Fields = {}) => write('info', msg, fields),
  warn: (msg: string, fields: Fields = {}) => write('warn', msg, fields),
  error: (msg: string, fields: Fields = {}) => write('error', msg, fields),
};

/** An error as log fields: its message and, for driver errors, its code (never a password). */
export function errorFields(err: unknown): Record<string, unknown> {
  // Duck-typed: errors from another realm (a VM context, a test runner) fail `instanceof Error`.
  const { message, code } = (typeof err === 'object' && err !== null ? err : {}) as { message?: unknown; code?: unknown };
  const error = typeof message === 'string' ? message : String(err);
  return code === undefined ? { error } : { error, code };
}
