import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS_DIR, readMigrations } from '../../labs/ecommerce-backend/service/src/migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecommerce-migrations-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the service\'s migrations, in order, each with the SHA-256 of its file', () => {
  const migrations = readMigrations();
  expect(migrations.map((m) => m.version)).toEqual(['001_initial_schema', '002_demo_catalog']);
  for (const m of migrations) {
    expect(m.checksum).toBe(createHash('sha256').update(readFileSync(join(MIGRATIONS_DIR, `${m.version}.sql`))).digest('hex'));
  }
});

test('no migration controls its own transaction: the runner wraps each file in one with its schema_migrations row', () => {
  const controlling = readMigrations().filter(({ sql }) => /\b(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|CONCURRENTLY)\b/i.test(sql.replace(/--.*$/gm, '')));
  expect(controlling.map((m) => m.version)).toEqual([]);
});

test('files sort by number, not by the order they were written', () => {
  writeFileSync(join(dir, '010_later.sql'), 'SELECT 10;');
  writeFileSync(join(dir, '002_earlier.sql'), 'SELECT 2;');
  expect(readMigrations(dir).map((m) => m.version)).toEqual(['002_earlier', '010_later']);
});

test.each([
  ['a file without a number', 'add_users.sql'],
  ['a file with capitals', '003_AddUsers.sql'],
  ['a stray file', 'README.md'],
])('%s is an error, not silently skipped', (_, name) => {
  writeFileSync(join(dir, name), '');
  expect(() => readMigrations(dir)).toThrow(`${join(dir, name)}: migration files are named NNN_lower_case_words.sql`);
});

test('two files with the same number are an error', () => {
  writeFileSync(join(dir, '003_users.sql'), '');
  writeFileSync(join(dir, '003_orders.sql'), '');
  expect(() => readMigrations(dir)).toThrow(`${dir}: two migrations are numbered 003`);
});
