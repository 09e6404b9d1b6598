/**
 * The e-commerce backend's data tier for integration tests, shaped like the lab's AWS one: a
 * PostgreSQL that admits only TLS (RDS with rds.force_ssl) holding a `shop` database owned by a
 * `shop` login, and a TLS-only Redis with an AUTH password (ElastiCache with in-transit encryption
 * and an auth token). `env` is the service's environment contract pointing at both.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../labs/ecommerce-backend/service/src/config';
import { type RunningService, startService } from '../../labs/ecommerce-backend/service/src/server';
import { type RunningPostgres, startPostgres } from './servers/postgres';
import { type RunningRedis, startRedis } from './servers/redis';

export type Env = Record<string, string>;

export interface DataTier {
  readonly postgres: RunningPostgres;
  readonly redis: RunningRedis;
  /** The environment contract (README) for the service, as the `shop` user. */
  readonly env: Env;
  /** The test CAs as files: `postgresCa` and `redisCa`. */
  readonly files: { readonly postgresCa: string; readonly redisCa: string };
  /** A superuser session on the `shop` database (over TLS), for setting up and inspecting. */
  readonly admin: Client;
  stop(): Promise<void>;
}

export async function startDataTier(): Promise<DataTier> {
  const [postgres, redis] = await Promise.all([startPostgres({ tls: true }), startRedis({ tls: true })]);
  const dir = mkdtempSync(join(tmpdir(), 'ecommerce-backend-test-'));
  chmodSync(dir, 0o755); // the CA certificates are public; the image test reads them as uid 1000
  const files = { postgresCa: join(dir, 'postgres-ca.pem'), redisCa: join(dir, 'redis-ca.pem') };
  writeFileSync(files.postgresCa, postgres.ca!);
  writeFileSync(files.redisCa, redis.ca!);
  const superuser = (database: string) =>
    new Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database, ssl: { ca: postgres.ca } });

  const password = randomBytes(18).toString('base64url');
  const setup = superuser('postgres');
  await setup.connect();
  await setup.query(`CREATE ROLE shop LOGIN PASSWORD '${password}'`);
  await setup.query('CREATE DATABASE shop OWNER shop');
  await setup.end();
  const admin = superuser('shop');
  await admin.connect();

  const env: Env = {
    DB_HOST: postgres.host,
    DB_PORT: String(postgres.port),
    DB_NAME: 'shop',
    DB_USER: 'shop',
    DB_PASSWORD: password,
    DB_CA_FILE: files.postgresCa,
    CACHE_HOST: redis.host,
    CACHE_PORT: String(redis.port),
    CACHE_AUTH_TOKEN: redis.password,
    CACHE_CA_FILE: files.redisCa,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'error',
  };
  return {
    postgres,
    redis,
    env,
    files,
    admin,
    stop: async () => {
      await admin.end().catch(() => undefined);
      await Promise.all([postgres.stop(), redis.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The service in this process on a free loopback port, configured from `env` as in production. */
export async function startShop(env: Env, options: Parameters<typeof startService>[1] = {}): Promise<RunningService & { readonly url: string }> {
  const service = await startService({ ...loadConfig(env), port: 0 }, { host: '127.0.0.1', ...options });
  return { ...service, url: `http://127.0.0.1:${service.port}` };
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & { error?: string };
  readonly headers: Headers;
}

/** One JSON request to the service. */
export async function call(url: string, method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: res.status, body: (await res.json()) as Answer['body'], headers: res.headers };
}

/** Registers and signs in a new user; returns the session token and the user's id. */
export async function signUp(url: string, email = `${randomBytes(6).toString('hex')}@example.com`): Promise<{ token: string; userId: string; email: string }> {
  const password = 'correct horse battery staple';
  const registered = await call(url, 'POST', '/auth/register', { body: { email, password } });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await call(url, 'POST', '/auth/login', { body: { email, password } });
  return { token: login.body.token as string, userId: (registered.body.user as { id: string }).id, email };
}

/** Keeps the service's JSON log lines out of Jest's output (call in beforeAll; restore in afterAll). */
export function quietStdout(): jest.SpyInstance {
  return jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
}
