/**
 * The compile cache of common/register.js: keyed by a file's name and source, so clones, a moved
 * checkout and the kit's scratch copies share it, and bounded by age and size.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';

const REGISTER = join(REPO_ROOT, 'common/register.js');
let scratch: string;
let cache: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'register-'));
  cache = join(scratch, 'cache');
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `file` as the kit's commands run TypeScript, with this test's cache. */
function run(file: string): string {
  return execFileSync(process.execPath, ['--require', REGISTER, file], { env: { ...process.env, IAC_LAB_TS_CACHE: cache }, encoding: 'utf8' });
}

function writeProgram(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hello.ts'), "const greeting: string = 'hello';\nconsole.log(greeting);\n");
  return join(dir, 'hello.ts');
}

const entries = () => readdirSync(cache).filter((name) => name.endsWith('.js'));

test('the same file in two checkouts is compiled once: the key holds no absolute path', () => {
  expect(run(writeProgram(join(scratch, 'clone-a', 'src')))).toBe('hello\n');
  expect(run(writeProgram(join(scratch, 'elsewhere', 'clone-b', 'src')))).toBe('hello\n');
  expect(entries()).toHaveLength(1);
});

test('a changed source is a new entry', () => {
  const file = writeProgram(join(scratch, 'app'));
  run(file);
  writeFileSync(file, "console.log('changed' as string);\n");
  expect(run(file)).toBe('changed\n');
  expect(entries()).toHaveLength(2);
});

test('entries unused for two weeks go at the next daily prune; recent ones stay', () => {
  run(writeProgram(join(scratch, 'app')));
  const [recent] = entries();
  mkdirSync(cache, { recursive: true });
  const stale = join(cache, `${'0'.repeat(40)}.js`);
  writeFileSync(stale, '// compiled long ago\n');
  const old = Date.now() / 1000 - 15 * 24 * 3600;
  utimesSync(stale, old, old);
  // The last prune was two days ago: the next compile prunes.
  utimesSync(join(cache, '.pruned'), old + 13 * 24 * 3600, old + 13 * 24 * 3600);
  const other = writeProgram(join(scratch, 'other'));
  writeFileSync(other, "console.log('another' as string);\n");
  expect(run(other)).toBe('another\n');
  expect(entries()).toContain(recent);
  expect(entries()).not.toContain(`${'0'.repeat(40)}.js`);
  expect(Date.now() - statSync(join(cache, '.pruned')).mtimeMs).toBeLessThan(60_000);
});

test('pruning waits a day after the last one', () => {
  run(writeProgram(join(scratch, 'app')));
  const stale = join(cache, `${'1'.repeat(40)}.js`);
  writeFileSync(stale, '// compiled long ago\n');
  const old = Date.now() / 1000 - 15 * 24 * 3600;
  utimesSync(stale, old, old);
  writeFileSync(join(scratch, 'app', 'hello.ts'), "console.log('new' as string);\n");
  run(join(scratch, 'app', 'hello.ts'));
  // The first run pruned a moment ago: the stale entry stays until tomorrow's.
  expect(entries()).toContain(`${'1'.repeat(40)}.js`);
});
