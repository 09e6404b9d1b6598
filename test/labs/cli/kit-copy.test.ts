/**
 * Pristine copies of the kit (what the exercise self-tests run on) are made from git's HEAD through a
 * throwaway index: several at once, from parallel Jest workers, must neither fail on git's lock nor
 * touch the learner's index.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/dist';

const MAKE_COPIES = `
const { pristineCopyOfKit } = require('./labs/cli/kit-copy.ts');
const { readFileSync, rmSync } = require('node:fs');
for (let i = 0; i < 2; i++) {
  const copy = pristineCopyOfKit();
  process.stdout.write(readFileSync(copy + '/package.json', 'utf8') === process.env.EXPECTED ? 'same\\n' : 'different\\n');
  rmSync(copy, { recursive: true, force: true });
}`;

test('four processes making pristine copies at once all succeed, each copy holds HEAD, and the index is untouched', async () => {
  const index = readFileSync(join(REPO_ROOT, '.git/index'));
  const headPackage = execFileSync('git', ['show', 'HEAD:package.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const runs = await Promise.all(
    Array.from({ length: 4 }, () =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        execFile(process.execPath, ['--require', './common/register.js', '-e', MAKE_COPIES], { cwd: REPO_ROOT, env: { ...process.env, EXPECTED: headPackage } }, (error, out, err) =>
          resolve({ code: error ? Number(error.code) : 0, out, err }),
        );
      }),
    ),
  );
  expect(runs).toEqual(Array.from({ length: 4 }, () => ({ code: 0, out: 'same\nsame\n', err: '' })));
  expect(readFileSync(join(REPO_ROOT, '.git/index')).equals(index)).toBe(true);
  expect(existsSync(join(REPO_ROOT, '.git/index.lock'))).toBe(false);
}, 60_000);
