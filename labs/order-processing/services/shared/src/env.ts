/**
 * Configuration from environment variables only, validated once at start.
 *
 * Each app declares what it reads as data (an {@link EnvSpec}). The same declaration validates the
 * environment (the first bad or missing variable is one line naming it, and the app exits 2) and
 * describes it to the test that holds the Kubernetes chart to the apps: which variables exist, which
 * are required, and which name files of a mounted Secret.
 */
import { readFileSync } from 'node:fs';

/** A bad or missing variable: its message is the whole story, one line, no stack. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Where file-valued variables are read from; tests and the chart test pass their own. */
export interface FileReader {
  readFile(path: string): string;
}

const DISK: FileReader = { readFile: (path) => readFileSync(path, 'utf8') };

/** One variable: its name, what it must hold, and how to read it. */
export interface Variable<T> {
  readonly name: string;
  readonly required: boolean;
  /** What a valid value is, in words, and one valid value. */
  readonly expected: string;
  readonly example: string;
  /** Set when the value is the path of a file from a mounted Secret: the Secret key that file holds. */
  readonly secretKey?: string;
  /** The value, or a short reason it is invalid (the caller adds the name and the fix). */
  parse(raw: string, files: FileReader): T | Invalid;
  /** What an unset optional variable means. */
  readonly fallback?: T;
}

/** Why a value is invalid, when "received <value>" alone does not say it (e.g. a file that cannot be read). */
export class Invalid {
  constructor(readonly received: string) {}
}

export interface EnvSpec {
  readonly [key: string]: Variable<unknown> | EnvSpec;
}

/** The typed configuration an {@link EnvSpec} reads into: the same keys, each variable replaced by its value. */
export type ConfigOf<S extends EnvSpec> = {
  readonly [K in keyof S]: S[K] extends Variable<infer T> ? T : S[K] extends EnvSpec ? ConfigOf<S[K]> : never;
};

/** What the chart test compares with the YAML: one entry per variable the app reads. */
export interface EnvVarDescription {
  readonly name: string;
  readonly required: boolean;
  readonly expected: string;
  readonly example: string;
  readonly secretKey?: string;
}

function isVariable(entry: Variable<unknown> | EnvSpec): entry is Variable<unknown> {
  return typeof (entry as Variable<unknown>).parse === 'function';
}

/** Reads and validates every variable of `spec` from `env`; throws a {@link ConfigError} on the first bad one. */
export function readEnv<S extends EnvSpec>(spec: S, env: NodeJS.ProcessEnv, files: FileReader = DISK): ConfigOf<S> {
  const config: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(spec)) {
    config[key] = isVariable(entry) ? readVariable(entry, env, files) : readEnv(entry, env, files);
  }
  return config as ConfigOf<S>;
}

function readVariable<T>(variable: Variable<T>, env: NodeJS.ProcessEnv, files: FileReader): T {
  const raw = env[variable.name];
  const fix = `Fix: set ${variable.name}, e.g. ${variable.name}=${variable.example}`;
  if (raw === undefined || (raw === '' && !variable.required)) {
    if (!variable.required) return variable.fallback as T;
    throw new ConfigError(variable.name, `Missing ${variable.name}: expected ${variable.expected}. ${fix}`);
  }
  const value = variable.parse(raw, files);
  if (value instanceof Invalid) throw new ConfigError(variable.name, `Invalid ${variable.name}: ${value.received}; expected ${variable.expected}. ${fix}`);
  return value;
}

/** Every variable of `spec`, in declaration order. */
export function describeEnv(spec: EnvSpec): EnvVarDescription[] {
  return Object.values(spec).flatMap((entry) =>
    isVariable(entry)
      ? [{ name: entry.name, required: entry.required, expected: entry.expected, example: entry.example, ...(entry.secretKey ? { secretKey: entry.secretKey } : {}) }]
      : describeEnv(entry),
  );
}

const received = (raw: string) => new Invalid(`received ${JSON.stringify(raw)}`);

function integerPort(raw: string): number | undefined {
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  return n >= 1 && n <= 65535 ? n : undefined;
}

// RFC 1123 host names (what Kubernetes Service names and DNS names are) and dotted IPv4 addresses.
const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function hostAndPort(raw: string): string | undefined {
  const match = /^([^:]+):([^:]+)$/.exec(raw);
  return match && HOST.test(match[1]) && integerPort(match[2]) !== undefined ? raw : undefined;
}

/** A TCP port, 1 to 65535. */
export function port(name: string, example: string): Variable<number> {
  return { name, required: true, expected: 'a port number from 1 to 65535', example, parse: (raw) => integerPort(raw) ?? received(raw) };
}

/** A host name or IPv4 address, no port. */
export function host(name: string, example: string): Variable<string> {
  return { name, required: true, expected: 'a host name (letters, digits, dots and hyphens)', example, parse: (raw) => (HOST.test(raw) ? raw : received(raw)) };
}

/** `host:port`. */
export function hostPort(name: string, example: string): Variable<string> {
  return { name, required: true, expected: 'host:port', example, parse: (raw) => hostAndPort(raw) ?? received(raw) };
}

/** A comma-separated list of `host:port`, at least one. */
export function hostPortList(name: string, example: string): Variable<string[]> {
  return {
    name,
    required: true,
    expected: 'a comma-separated list of host:port',
    example,
    parse: (raw) => {
      const entries = raw.split(',').map((entry) => entry.trim());
      return entries.every((entry) => hostAndPort(entry) !== undefined) ? entries : received(raw);
    },
  };
}

/** A name matching `pattern`, described in words by `expected`. */
export function name(variable: string, pattern: RegExp, expected: string, example: string): Variable<string> {
  return { name: variable, required: true, expected, example, parse: (raw) => (pattern.test(raw) ? raw : received(raw)) };
}

/**
 * The path of a file from a mounted Secret; the value is the file's content without surrounding
 * whitespace (so a trailing newline in the Secret does not end up in a password).
 */
export function secretFile(variable: string, secretKey: string, holds: string, example: string): Variable<string> {
  return {
    name: variable,
    required: true,
    expected: `the absolute path of a readable, non-empty file holding ${holds}`,
    example,
    secretKey,
    parse: (raw, files) => {
      if (!raw.startsWith('/')) return received(raw);
      let content: string;
      try {
        content = files.readFile(raw).trim();
      } catch (err) {
        return new Invalid(`cannot read ${JSON.stringify(raw)} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      return content === '' ? new Invalid(`${JSON.stringify(raw)} is empty`) : content;
    },
  };
}

/** One of `allowed`; optional, `fallback` when unset or empty. */
export function optionalChoice<T extends string>(variable: string, allowed: readonly T[], fallback: T): Variable<T> {
  return {
    name: variable,
    required: false,
    expected: `one of ${allowed.join(', ')}`,
    example: fallback,
    fallback,
    parse: (raw) => ((allowed as readonly string[]).includes(raw) ? (raw as T) : received(raw)),
  };
}
