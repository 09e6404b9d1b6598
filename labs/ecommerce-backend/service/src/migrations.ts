/**
 * Schema migrations: the SQL files in ../migrations (`NNN_name.sql`), applied in order, each in its
 * own transaction together with its row in `schema_migrations`. A session-level advisory lock makes
 * a second migration task wait for the first instead of racing it, and re-running when the schema is
 * current changes nothing. A file edited after it was applied is refused: add a new file instead.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { log } from './log';

/** Beside dist/ in the image (/app/migrations) and beside src/ in the repository. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Every migration task of this service takes this lock (pg_advisory_lock's one-bigint key space). */
export const MIGRATION_LOCK_KEY = 7_202_612_031n;

/** How long a migration task waits for another one to finish before giving up. */
export const LOCK_WAIT = '5min';

export interface Migration {
  /** The file name without `.sql`, e.g. `001_initial_schema`: the row in schema_migrations. */
  readonly version: string;
  readonly sql: string;
  /** SHA-256 of the file, kept with the row so an edited migration is caught. */
  readonly checksum: string;
}

const FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;

/** The migration files of `dir`, in order; anything else in it is an error, not silently skipped. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).sort();
  const migrations = files.map((file) => {
    if (!FILE.test(file)) throw new Error(`${join(dir, file)}: migration files are named NNN_lower_case_words.sql`);
    const sql = readFileSync(join(dir, file), 'utf8');
    return { version: file.slice(0, -'.sql'.length), sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
  const numbers = migrations.map((m) => m.version.split('_')[0]);
  const twice = numbers.find((n, i) => numbers.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`${dir}: two migrations are numbered ${twice}`);
  return migrations;
}

export interface MigrationResult {
  readonly applied: readonly string[];
  /** Versions the database has but these files do not: an older image ran after a newer one. */
  readonly unknown: readonly string[];
}

/**
 * Brings the database up to `migrations` over `client` (a connected pg Client). Safe to run from
 * several tasks at once and any number of times.
 */
export async function migrate(client: Client, migrations: readonly Migration[]): Promise<MigrationResult> {
  await client.query(`SET lock_timeout = '${LOCK_WAIT}'`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
  } catch (err) {
    // 55P03 lock_not_available: lock_timeout ended the wait.
    if ((err as { code?: string }).code === '55P03') throw new Error(`another migration task held the migration lock for over ${LOCK_WAIT}; is one stuck?`, { cause: err });
    throw err;
  }
  try {
    await client.query('RESET lock_timeout');
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await client.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations');
    const done = new Map(rows.rows.map((row) => [row.version, row.checksum]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const checksum = done.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(`migration ${migration.version} was changed after it was applied (checksum ${checksum.slice(0, 12)} in the database, ${migration.checksum.slice(0, 12)} in the file): restore the file and add a new migration for the change`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [migration.version, migration.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.version} failed and was rolled back: ${(err as Error).message}`, { cause: err });
      }
      applied.push(migration.version);
      log.info('migration applied', { version: migration.version });
    }
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...done.keys()].filter((version) => !known.has(version)).sort();
    return { applied, unknown };
  } finally {
    // Closing the session would release it too; unlocking keeps a reused client clean.
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch(() => undefined);
  }
}
