/**
 * Configuration checks shared by the AWS, GCP and Kubernetes wings.
 *
 * Each wing reads its settings from a different place (CDK context, Pulumi config,
 * cdk8s environment), but a user mistake is reported the same way everywhere: one
 * message naming the key, the value received, what is valid, and the exact fix.
 */

/** A user mistake in configuration. Entry points print its message, never its stack. */
/** A failure whose message says everything the user needs: commands print it without a stack trace. */
export class UserError extends Error {
  /** The process exit code a command ends with. */
  readonly exitCode: number = 1;
}

export class ConfigError extends UserError {
  override readonly exitCode = 2;

  constructor(
    readonly key: string,
    readonly received: unknown,
    readonly expected: string,
    readonly fix: string,
  ) {
    super(`Invalid ${key}: received ${describe(received)}; expected ${expected}.\n  Fix: ${fix}`);
    this.name = 'ConfigError';
  }
}

/** Tells the user how to set `key` in this wing, e.g. `npx cdk synth -c key=example`. */
export type FixHint = (key: string, example: string) => string;

/** Validates raw configuration values, throwing a {@link ConfigError} on the first mistake. */
export class ConfigReader {
  constructor(private readonly fixHint: FixHint) {}

  /** Throws a ConfigError for `key`; `example` is a valid value used in the fix. */
  fail(key: string, received: unknown, expected: string, example: string): never {
    throw new ConfigError(key, received, expected, this.fixHint(key, example));
  }

  oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return this.fail(key, value, `one of ${allowed.join(', ')}`, allowed[0]);
  }

  /** An integer in [min, max]; numeric strings count, since CLI flags arrive as strings. */
  integer(key: string, value: unknown, min: number, max: number): number {
    const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
    return this.fail(key, value, `an integer from ${min} to ${max}`, String(min));
  }

  boolean(key: string, value: unknown): boolean {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    return this.fail(key, value, 'true or false', 'true');
  }

  /** A string matching `pattern`; `format` describes it in words, `example` is a valid value. */
  matching(key: string, value: unknown, pattern: RegExp, format: string, example: string): string {
    if (typeof value === 'string' && pattern.test(value)) return value;
    return this.fail(key, value, format, example);
  }
}

/** The candidate nearest to `key` by edit distance, when it is near enough to be a typo of it. */
export function closestKey(key: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length];
  };
  const [best] = candidates.map((c) => ({ c, d: distance(key.toLowerCase(), c.toLowerCase()) })).sort((x, y) => x.d - y.d);
  // Up to a third of the key's length: gcp:projet, authorizedNetwork, nodeMinCont.
  return best !== undefined && best.d > 0 && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.c : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the key is not set)';
  if (typeof value === 'string') return `"${value}"`;
  return JSON.stringify(value);
}

/**
 * Runs an entry point so that a ConfigError ends the process with its message and
 * exit code 2 (usage error) instead of a stack trace. Anything else is a bug in the
 * kit and keeps its stack (exit code 1).
 */
export function runEntry(main: () => unknown): Promise<void> {
  return Promise.resolve()
    .then(main)
    .then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof UserError) {
          process.stderr.write(`\n${err.message}\n\n`);
          process.exitCode = err.exitCode;
        } else {
          process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
          process.exitCode = 1;
        }
      },
    );
}
