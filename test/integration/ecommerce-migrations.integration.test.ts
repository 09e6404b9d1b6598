/**
 * The migration step (src/migrate.ts, `node dist/migrate.js` in the image) against a real
 * PostgreSQL over TLS: it applies the schema, re-applies as a no-op, serializes concurrent runs
 * with its advisory lock, and refuses what would corrupt the history.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type DataTier, type Env, quietStdout, startDataTier } from './ecommerce-backend';
import { main } from '../../labs/ecommerce-backend/service/src/migrate';
import { MIGRATION_LOCK_KEY, MIGRATIONS_DIR, readMigrations } from '../../labs/ecommerce-backend/service/src/migrations';

jest.setTimeout(60_000);

let tier: DataTier;
let stdout: jest.SpyInstance;
const scratch: string[] = [];
const VERSIONS = readMigrations().map((m) => m.version);

beforeAll(async () => {
  stdout = quietStdout();
  tier = await startDataTier();
});

afterAll(async () => {
  await tier?.stop();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  stdout.mockRestore();
});

let databases = 0;
/** Runs `check` on a new, empty database owned by the service's user: the env to migrate it, and a superuser session on it. */
async function withFreshDatabase(check: (env: Env, db: Client) => Promise<void>): Promise<void> {
  const name = `shop_${++databases}`;
  await tier.admin.query(`CREATE DATABASE ${name} OWNER shop`);
  const db = new Client({ host: tier.postgres.host, port: tier.postgres.port, user: tier.postgres.user, password: tier.postgres.password, database: name, ssl: { ca: tier.postgres.ca } });
  await db.connect();
  try {
    await check({ ...tier.env, DB_NAME: name }, db);
  } finally {
    await db.end();
  }
}

/** The JSON log lines written since the last call. */
function logLines(): { msg: string; [field: string]: unknown }[] {
  const lines = stdout.mock.calls.map(([chunk]) => JSON.parse(String(chunk)));
  stdout.mockClear();
  return lines;
}

/** A copy of the migrations folder to change. */
function migrationsCopy(files: Record<string, string> = {}, keep = VERSIONS): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecommerce-migrations-'));
  scratch.push(dir);
  for (const version of keep) copyFileSync(join(MIGRATIONS_DIR, `${version}.sql`), join(dir, `${version}.sql`));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const applied = async (db: Client) => (await db.query('SELECT version, checksum FROM schema_migrations ORDER BY version')).rows;

test('applies every migration in order with its checksum, and a second run changes nothing', () =>
  withFreshDatabase(async (env, db) => {
    logLines();
    await main({ ...env, LOG_LEVEL: 'info' });
    expect(logLines().find((line) => line.msg === 'schema is current')).toMatchObject({ applied: VERSIONS, latest: VERSIONS.at(-1) });
    expect(await applied(db)).toEqual(readMigrations().map((m) => ({ version: m.version, checksum: m.checksum })));
    const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.rows.map((row) => row.table_name)).toEqual(['order_items', 'orders', 'payments', 'products', 'schema_migrations', 'users']);
    // The tables belong to the service's user, who created them: nothing needs a superuser.
    const owners = await db.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`);
    expect(owners.rows).toEqual([{ tableowner: 'shop' }]);
    const products = Number((await db.query('SELECT count(*) FROM products')).rows[0].count);

    await main({ ...env, LOG_LEVEL: 'info' });
    expect(logLines().find((line) => line.msg === 'schema is current')).toMatchObject({ applied: [] });
    expect(Number((await db.query('SELECT count(*) FROM products')).rows[0].count)).toBe(products);
  }));

test('four tasks migrating at once: each migration is applied exactly once and every task exits cleanly', () =>
  withFreshDatabase(async (env, db) => {
    logLines();
    await Promise.all(Array.from({ length: 4 }, () => main({ ...env, LOG_LEVEL: 'info' })));
    const runs = logLines().filter((line) => line.msg === 'schema is current');
    expect(runs).toHaveLength(4);
    expect(runs.flatMap((run) => run.applied as string[]).sort()).toEqual(VERSIONS);
    expect((await applied(db)).map((row) => row.version)).toEqual(VERSIONS);
  }));

test('a run waits on the advisory lock while another task holds it, then finds the schema current', () =>
  withFreshDatabase(async (env, db) => {
    await main(env);
    await db.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    logLines();
    let finished = false;
    const run = main({ ...env, LOG_LEVEL: 'info' }).then(() => {
      finished = true;
    });
    // Seen from the server: a session of the service waiting on an advisory lock.
    for (let waiting = 0; waiting === 0; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const sessions = await db.query(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ecommerce-backend' AND wait_event = 'advisory'`);
      waiting = Number(sessions.rows[0].count);
    }
    expect(finished).toBe(false);
    await db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    await run;
    expect(logLines().find((line) => line.msg === 'schema is current')).toMatchObject({ applied: [] });
  }));

test('a migration edited after it was applied is refused, naming it', () =>
  withFreshDatabase(async (env) => {
    await main(env);
    const edited = migrationsCopy({ [`${VERSIONS[0]}.sql`]: 'CREATE TABLE users (id int);\n' });
    await expect(main(env, edited)).rejects.toThrow(new RegExp(`^migration ${VERSIONS[0]} was changed after it was applied .*: restore the file and add a new migration for the change$`));
  }));

test('a failing migration is rolled back whole; the ones before it stay applied', () =>
  withFreshDatabase(async (env, db) => {
    const broken = migrationsCopy({ '900_broken.sql': 'CREATE TABLE half_done (id int);\nSELECT 1 / 0;\n' });
    await expect(main(env, broken)).rejects.toThrow('migration 900_broken failed and was rolled back: division by zero');
    expect((await applied(db)).map((row) => row.version)).toEqual(VERSIONS);
    expect((await db.query(`SELECT to_regclass('half_done') AS t`)).rows[0].t).toBeNull();
  }));

test('an older image (fewer migrations) exits cleanly and reports the versions it does not know', () =>
  withFreshDatabase(async (env) => {
    await main(env);
    logLines();
    await main({ ...env, LOG_LEVEL: 'info' }, migrationsCopy({}, VERSIONS.slice(0, 1)));
    expect(logLines()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'warn', msg: 'the database has migrations this image does not know', unknown: VERSIONS.slice(1) }),
        expect.objectContaining({ msg: 'schema is current', applied: [] }),
      ]),
    );
  }));
