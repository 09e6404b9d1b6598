/**
 * The migration step: `node dist/migrate.js`, run as a one-off ECS task (the service's task
 * definition with this command) before a new version takes traffic. Exits 0 when the schema is
 * current, whether it applied anything or not; 1 when a migration failed; 2 on bad configuration.
 */
import { loadDatabaseConfig, loadLogLevel, runMain } from './config';
import { connectDatabase } from './db';
import { log } from './log';
import { MIGRATIONS_DIR, migrate, readMigrations } from './migrations';

export async function main(env: NodeJS.ProcessEnv = process.env, dir: string = MIGRATIONS_DIR): Promise<void> {
  const config = loadDatabaseConfig(env);
  log.setLevel(loadLogLevel(env));
  const migrations = readMigrations(dir);
  const client = await connectDatabase(config);
  try {
    const { applied, unknown } = await migrate(client, migrations);
    if (unknown.length > 0) {
      // Rolling back to an older image: its code must cope with the newer schema (expand, then contract).
      log.warn('the database has migrations this image does not know', { unknown });
    }
    log.info('schema is current', { applied, latest: migrations.at(-1)?.version ?? null });
  } finally {
    await client.end();
  }
}

if (require.main === module) runMain(() => main());
