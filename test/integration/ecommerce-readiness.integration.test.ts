/**
 * /readyz against real servers: 200 only when PostgreSQL answers over verified TLS and the cache
 * answers an authenticated PING over verified TLS; otherwise 503 naming the store and the kind of
 * failure (wrong credentials, a certificate that cannot be verified, a store that is down). And no
 * plain text in either direction.
 */
import { type Server, createServer, connect as tcpConnect } from 'node:net';
import { Client } from 'pg';
import { createClient } from '@redis/client';
import { type DataTier, type Env, call, quietStdout, startDataTier, startShop } from './ecommerce-backend';
import { freePort } from './servers/process';
import { startPostgres } from './servers/postgres';
import { startRedis } from './servers/redis';

jest.setTimeout(60_000);

let tier: DataTier;
let stdout: jest.SpyInstance;

beforeAll(async () => {
  stdout = quietStdout();
  tier = await startDataTier();
});

afterAll(async () => {
  await tier?.stop();
  stdout.mockRestore();
});

/** /readyz of a service started with `env`, then the service is stopped. */
async function readiness(env: Env) {
  const shop = await startShop(env);
  try {
    return await call(shop.url, 'GET', '/readyz');
  } finally {
    await shop.shutdown();
  }
}

/**
 * A TCP relay on 127.0.0.2 to a server on 127.0.0.1: the same server under an address its
 * certificate (IP:127.0.0.1, DNS:localhost) does not name, to prove the host name is checked.
 */
async function relay(port: number): Promise<{ port: number; server: Server }> {
  const server = createServer((downstream) => {
    const upstream = tcpConnect(port, '127.0.0.1');
    downstream.pipe(upstream).pipe(downstream);
    upstream.on('error', () => downstream.destroy());
    downstream.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

test('200 when PostgreSQL answers SELECT 1 over verified TLS and the cache an authenticated PING over TLS', async () => {
  const shop = await startShop(tier.env);
  try {
    const answer = await call(shop.url, 'GET', '/readyz');
    expect(answer).toMatchObject({ status: 200, body: { status: 'ready', checks: { database: 'ok', cache: 'ok' } } });
    // Every connection the service holds is encrypted (pg_stat_ssl, as the server sees it).
    const sessions = await tier.admin.query(`SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'ecommerce-backend'`);
    expect(sessions.rows.length).toBeGreaterThan(0);
    expect(sessions.rows.every((row) => row.ssl === true)).toBe(true);
  } finally {
    await shop.shutdown();
  }
});

test('verify-full accepts the servers under a host name their certificates carry (localhost)', async () => {
  const answer = await readiness({ ...tier.env, DB_HOST: 'localhost', CACHE_HOST: 'localhost' });
  expect(answer).toMatchObject({ status: 200, body: { checks: { database: 'ok', cache: 'ok' } } });
});

test('/healthz stays 200 whatever the data stores do: the load balancer keeps the task', async () => {
  const shop = await startShop({ ...tier.env, DB_PORT: String(await freePort()), CACHE_PORT: String(await freePort()) });
  try {
    expect(await call(shop.url, 'GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await call(shop.url, 'GET', '/readyz')).status).toBe(503);
  } finally {
    await shop.shutdown();
  }
});

describe('503 naming what failed', () => {
  const cases: [string, () => Promise<Env>, Record<string, string>][] = [
    ['a wrong database password', async () => ({ ...tier.env, DB_PASSWORD: 'not-the-password' }), { database: 'authentication failed', cache: 'ok' }],
    ['a wrong cache AUTH token', async () => ({ ...tier.env, CACHE_AUTH_TOKEN: 'not-the-auth-token' }), { database: 'ok', cache: 'authentication failed' }],
    ['a database certificate from another CA', async () => ({ ...tier.env, DB_CA_FILE: tier.files.redisCa }), { database: 'TLS verification failed', cache: 'ok' }],
    ['a cache certificate from another CA', async () => ({ ...tier.env, CACHE_CA_FILE: tier.files.postgresCa }), { database: 'ok', cache: 'TLS verification failed' }],
    ['a cache certificate no public root signed (CACHE_CA_FILE unset)', async () => ({ ...tier.env, CACHE_CA_FILE: '' }), { database: 'ok', cache: 'TLS verification failed' }],
    ['a database port nothing listens on', async () => ({ ...tier.env, DB_PORT: String(await freePort()) }), { database: 'unreachable', cache: 'ok' }],
    ['a cache port nothing listens on', async () => ({ ...tier.env, CACHE_PORT: String(await freePort()) }), { database: 'ok', cache: 'unreachable' }],
  ];
  test.each(cases)('%s', async (_, env, checks) => {
    expect(await readiness(await env())).toMatchObject({ status: 503, body: { status: 'unavailable', checks } });
  });

  test('a certificate that does not name the host dialled (verify-full, not just verify-ca)', async () => {
    const [db, cache] = await Promise.all([relay(tier.postgres.port), relay(tier.redis.port)]);
    try {
      stdout.mockClear();
      const answer = await readiness({ ...tier.env, DB_HOST: '127.0.0.2', DB_PORT: String(db.port), CACHE_HOST: '127.0.0.2', CACHE_PORT: String(cache.port) });
      expect(answer).toMatchObject({ status: 503, body: { checks: { database: 'TLS verification failed', cache: 'TLS verification failed' } } });
      // The log says why: Node's host-name check, the CA being right.
      const failures = stdout.mock.calls.map(([line]) => JSON.parse(String(line))).filter((entry) => entry.msg === 'readiness check failed');
      expect(failures).toEqual(
        expect.arrayContaining(['database', 'cache'].map((dependency) => expect.objectContaining({ dependency, code: 'ERR_TLS_CERT_ALTNAME_INVALID' }))),
      );
    } finally {
      db.server.close();
      cache.server.close();
    }
  });
});

test('no plain text: the stores refuse plain-text clients, and the service refuses stores that offer no TLS', async () => {
  const plainPg = new Client({ host: tier.postgres.host, port: tier.postgres.port, user: 'shop', password: tier.env.DB_PASSWORD, database: 'shop', ssl: false });
  await expect(plainPg.connect()).rejects.toThrow(/no pg_hba.conf entry .* no encryption/);
  const plainRedis = createClient({ socket: { host: tier.redis.host, port: tier.redis.port, reconnectStrategy: false, connectTimeout: 2_000 }, password: tier.redis.password });
  plainRedis.on('error', () => undefined);
  await expect(plainRedis.connect()).rejects.toThrow();

  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const inspector = createClient({ socket: { host: redis.host, port: redis.port }, password: redis.password });
  try {
    await inspector.connect();
    await inspector.configResetStat();
    const answer = await readiness({ ...tier.env, DB_PORT: String(postgres.port), DB_NAME: 'postgres', DB_USER: 'postgres', DB_PASSWORD: postgres.password, CACHE_PORT: String(redis.port), CACHE_AUTH_TOKEN: redis.password });
    // PostgreSQL answers the TLS request with "N" (no TLS); Redis reads the TLS hello as a
    // half-sent command and waits, so the handshake never completes within the probe's timeout.
    expect(answer).toMatchObject({ status: 503, body: { checks: { database: 'TLS verification failed', cache: 'timed out' } } });
    // And the service sent the plain-text server nothing: no AUTH or HELLO (the password), no PING.
    expect(await inspector.info('commandstats')).not.toMatch(/cmdstat_(auth|hello|ping):/);
  } finally {
    await inspector.close();
    await Promise.all([postgres.stop(), redis.stop()]);
  }
});

test('while shutting down, /readyz is 503 so deploy checks stop sending work', async () => {
  const shop = await startShop(tier.env);
  try {
    shop.app.stopping();
    expect(await call(shop.url, 'GET', '/readyz')).toMatchObject({ status: 503, body: { status: 'stopping' } });
  } finally {
    await shop.shutdown();
  }
});

// Last: it stops the servers.
test('a store going down after start turns /readyz to 503 naming it', async () => {
  const shop = await startShop(tier.env);
  try {
    expect((await call(shop.url, 'GET', '/readyz')).status).toBe(200);
    await tier.redis.stop();
    expect(await call(shop.url, 'GET', '/readyz')).toMatchObject({ status: 503, body: { checks: { database: 'ok', cache: 'unreachable' } } });
    await tier.admin.end();
    await tier.postgres.stop();
    expect(await call(shop.url, 'GET', '/readyz')).toMatchObject({ status: 503, body: { checks: { database: 'unreachable', cache: 'unreachable' } } });
  } finally {
    await shop.shutdown();
  }
});
