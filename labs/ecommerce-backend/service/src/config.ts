/**
 * The service's whole configuration, read once from the environment at start and validated (the
 * environment contract in ../README.md, which the CDK stacks wire). A mistake ends the process with
 * one line naming the variable and exit code 2, before any connection is tried. Secret values are
 * never echoed: the line says what is wrong with them, not what they are.
 */
import { readFileSync } from 'node:fs';
import { log } from './log';

/** The port the container listens on; the task definition and the target group use the same. */
export const DEFAULT_PORT = 8080;
/** The RDS global CA bundle, baked into the image by the Dockerfile. */
export const DEFAULT_DB_CA_FILE = '/app/certs/rds-global-bundle.pem';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface DatabaseConfig {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** PEM bundle the server's certificate must chain to (verify-full: chain and host name). */
  readonly ca: string;
}

export interface CacheConfig {
  readonly host: string;
  readonly port: number;
  /** The AUTH token (the `default` user's password). */
  readonly authToken: string;
  /** PEM to verify the cache with; undefined means Node's built-in roots (Amazon's public CA). */
  readonly ca?: string;
}

export interface Config {
  readonly port: number;
  readonly database: DatabaseConfig;
  readonly cache: CacheConfig;
  /** HMAC key of the session tokens. */
  readonly sessionSecret: string;
  readonly logLevel: LogLevel;
}

/** A missing or malformed variable. Its message is the one line the process prints. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
    fix: string,
  ) {
    super(`Invalid environment variable ${variable}: ${problem}. Fix: ${fix}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;

/** Reads and validates every variable of the contract; throws {@link ConfigError} on the first mistake. */
export function loadConfig(env: Env): Config {
  const caFile = env.CACHE_CA_FILE;
  return {
    port: port(env, 'PORT', DEFAULT_PORT),
    database: loadDatabaseConfig(env),
    cache: {
      host: matching(env, 'CACHE_HOST', HOST, 'a host name or IPv4 address', 'master.shop-cache.abc123.euw1.cache.amazonaws.com'),
      port: port(env, 'CACHE_PORT', 6379),
      // ElastiCache accepts AUTH tokens of 16 to 128 printable characters.
      authToken: secret(env, 'CACHE_AUTH_TOKEN', 16),
      ca: caFile === undefined || caFile === '' ? undefined : pemFile('CACHE_CA_FILE', caFile),
    },
    sessionSecret: secret(env, 'SESSION_SECRET', 32),
    logLevel: loadLogLevel(env),
  };
}

/** The database variables only: all the migration step needs. */
export function loadDatabaseConfig(env: Env): DatabaseConfig {
  return {
    host: matching(env, 'DB_HOST', HOST, 'a host name or IPv4 address', 'shop.abc123.eu-west-1.rds.amazonaws.com'),
    port: port(env, 'DB_PORT', 5432),
    database: matching(env, 'DB_NAME', NAME, 'a PostgreSQL database name', 'shop'),
    user: matching(env, 'DB_USER', NAME, 'a PostgreSQL user name', 'shop'),
    password: secret(env, 'DB_PASSWORD', 1),
    ca: pemFile('DB_CA_FILE', env.DB_CA_FILE || DEFAULT_DB_CA_FILE),
  };
}

export function loadLogLevel(env: Env): LogLevel {
  return oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info');
}

function required(env: Env, name: string, example: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigError(name, 'it is not set', `set ${name}, e.g. ${name}=${example}`);
  return value;
}

function matching(env: Env, name: string, pattern: RegExp, what: string, example: string): string {
  const value = required(env, name, example);
  if (!pattern.test(value)) throw new ConfigError(name, `received ${JSON.stringify(value)}, expected ${what}`, `set ${name}, e.g. ${name}=${example}`);
  return value;
}

function port(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new ConfigError(name, `received ${JSON.stringify(value)}, expected a port from 1 to 65535`, `set ${name}=${fallback} or leave it unset`);
  return n;
}

/**
 * A secret: at least `minLength` characters, none of them a control character (a secret pasted
 * with its line break is the usual mistake). Its value never appears in a message.
 */
function secret(env: Env, name: string, minLength: number): string {
  const value = required(env, name, '<from Secrets Manager>');
  if ([...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
    throw new ConfigError(name, `the value (${value.length} characters) holds a line break or another control character`, `set ${name} to the secret's exact value`);
  }
  if (value.length < minLength) {
    throw new ConfigError(name, `the value has ${value.length} characters, expected at least ${minLength}`, `set ${name} to a longer random value, e.g. from \`openssl rand -base64 48\``);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(name, `received ${JSON.stringify(value)}, expected one of ${allowed.join(', ')}`, `set ${name}=${fallback} or leave it unset`);
}

function pemFile(name: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(name, `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, `point ${name} at a readable PEM certificate bundle`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(name, `${path} holds no PEM certificate`, `point ${name} at a PEM certificate bundle`);
  }
  return text;
}

/**
 * Runs an entry point (server.ts, migrate.ts): a {@link ConfigError} ends the process with its one
 * line on stderr and exit code 2; anything else is logged with its stack and exits 1.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
    } else {
      log.error('fatal', { error: err instanceof Error ? err.stack : String(err) });
      // Pools or sockets may still hold the event loop open: leave now.
      process.exit(1);
    }
  });
}
