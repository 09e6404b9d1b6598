import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_DB_CA_FILE, DEFAULT_PORT, loadConfig, loadDatabaseConfig } from '../../labs/ecommerce-backend/service/src/config';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecommerce-config-'));
  writeFileSync(join(dir, 'ca.pem'), PEM);
  writeFileSync(join(dir, 'not-a-cert.pem'), 'hello');
  env = {
    DB_HOST: 'shop.abc.eu-west-1.rds.amazonaws.com',
    DB_NAME: 'shop',
    DB_USER: 'shop_app',
    DB_PASSWORD: 'p@ss word?', // RDS-generated passwords hold punctuation
    DB_CA_FILE: join(dir, 'ca.pem'),
    CACHE_HOST: 'master.shop.abc.euw1.cache.amazonaws.com',
    CACHE_AUTH_TOKEN: 'a'.repeat(16),
    SESSION_SECRET: 's'.repeat(32),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The one-line message loadConfig throws for `changes`. */
function problem(changes: Record<string, string | undefined>): string {
  try {
    loadConfig({ ...env, ...changes });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('loadConfig accepted it');
}

test('the contract\'s variables with its defaults: port 8080, 5432, 6379, log level info, the cache on public roots', () => {
  expect(loadConfig(env)).toEqual({
    port: 8080,
    database: { host: env.DB_HOST, port: 5432, database: 'shop', user: 'shop_app', password: 'p@ss word?', ca: PEM },
    cache: { host: env.CACHE_HOST, port: 6379, authToken: env.CACHE_AUTH_TOKEN, ca: undefined },
    sessionSecret: env.SESSION_SECRET,
    logLevel: 'info',
  });
  expect(DEFAULT_PORT).toBe(8080);
});

test('every optional variable is read when set', () => {
  const config = loadConfig({ ...env, PORT: '9000', DB_PORT: '6432', CACHE_PORT: '6380', CACHE_CA_FILE: join(dir, 'ca.pem'), LOG_LEVEL: 'debug' });
  expect(config).toMatchObject({ port: 9000, database: { port: 6432 }, cache: { port: 6380, ca: PEM }, logLevel: 'debug' });
});

test('DB_CA_FILE defaults to the RDS bundle baked into the image', () => {
  expect(DEFAULT_DB_CA_FILE).toBe('/app/certs/rds-global-bundle.pem');
  expect(problem({ DB_CA_FILE: undefined })).toBe(
    'Invalid environment variable DB_CA_FILE: cannot read /app/certs/rds-global-bundle.pem (ENOENT). Fix: point DB_CA_FILE at a readable PEM certificate bundle',
  );
});

test.each([
  ['DB_HOST', undefined, 'it is not set'],
  ['DB_HOST', 'postgres://shop', 'received "postgres://shop", expected a host name or IPv4 address'],
  ['DB_PORT', '5432x', 'received "5432x", expected a port from 1 to 65535'],
  ['DB_PORT', '70000', 'received "70000", expected a port from 1 to 65535'],
  ['DB_NAME', '', 'it is not set'],
  ['DB_NAME', 'shop; drop', 'received "shop; drop", expected a PostgreSQL database name'],
  ['DB_USER', undefined, 'it is not set'],
  ['DB_PASSWORD', undefined, 'it is not set'],
  ['DB_CA_FILE', '/nonexistent/ca.pem', 'cannot read /nonexistent/ca.pem (ENOENT)'],
  ['CACHE_HOST', undefined, 'it is not set'],
  ['CACHE_PORT', '0', 'received "0", expected a port from 1 to 65535'],
  ['CACHE_AUTH_TOKEN', 'short', 'the value has 5 characters, expected at least 16'],
  ['CACHE_CA_FILE', '/nonexistent/cache.pem', 'cannot read /nonexistent/cache.pem (ENOENT)'],
  ['SESSION_SECRET', undefined, 'it is not set'],
  ['SESSION_SECRET', 'x'.repeat(31), 'the value has 31 characters, expected at least 32'],
  ['LOG_LEVEL', 'verbose', 'received "verbose", expected one of debug, info, warn, error'],
  ['PORT', 'http', 'received "http", expected a port from 1 to 65535'],
])('%s set to %p: one line naming it', (variable, value, what) => {
  const message = problem({ [variable]: value });
  expect(message).toMatch(new RegExp(`^Invalid environment variable ${variable}: `));
  expect(message).toContain(what);
  expect(message).toContain('. Fix: ');
  expect(message).not.toContain('\n');
});

test('a file that is not a PEM bundle is refused', () => {
  expect(problem({ DB_CA_FILE: join(dir, 'not-a-cert.pem') })).toContain(`DB_CA_FILE: ${join(dir, 'not-a-cert.pem')} holds no PEM certificate`);
});

test('a secret\'s value never appears in a message, only what is wrong with it', () => {
  const token = 'correct-horse-battery\n';
  const message = problem({ CACHE_AUTH_TOKEN: token });
  expect(message).toBe(
    'Invalid environment variable CACHE_AUTH_TOKEN: the value (22 characters) holds a line break or another control character. Fix: set CACHE_AUTH_TOKEN to the secret\'s exact value',
  );
  expect(message).not.toContain('horse');
  expect(problem({ SESSION_SECRET: 'tooshort' })).not.toContain('tooshort');
});

test('the migration step needs only the database variables', () => {
  const databaseOnly = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('DB_')));
  expect(loadDatabaseConfig(databaseOnly)).toMatchObject({ host: env.DB_HOST, database: 'shop' });
  expect(() => loadConfig(databaseOnly)).toThrow('Invalid environment variable CACHE_HOST: it is not set. Fix: set CACHE_HOST, e.g. CACHE_HOST=');
});
