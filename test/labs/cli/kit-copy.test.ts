/**
 * Pristine copies of the kit (what the exercise self-tests run on) are made from git's HEAD through a
 * throwaway index: several at once, from parallel Jest workers, must neither fail on git's lock nor
 * touch the learner's index.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/dist';
import { applyPatch } from '../../../labs/cli/kit-copy';

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

test('a patch whose neighbouring lines were edited applies with one line of context, and only then', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iac-lab-kit-patch-'));
  try {
    const lines = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    writeFileSync(join(dir, 'file.txt'), `${lines.join('\n')}\n`);
    // The change of d, with three lines of context each side, written against the file as it was.
    writeFileSync(
      join(dir, 'change.patch'),
      ['--- a/file.txt', '+++ b/file.txt', '@@ -1,7 +1,7 @@', ' a', ' b', ' c', '-d', '+D', ' e', ' f', ' g', ''].join('\n'),
    );
    // Someone else's edit two lines above the change.
    writeFileSync(join(dir, 'file.txt'), `${['a', 'B', 'c', 'd', 'e', 'f', 'g'].join('\n')}\n`);
    expect(() => applyPatch(dir, join(dir, 'change.patch'))).toThrow();
    applyPatch(dir, join(dir, 'change.patch'), 1);
    expect(readFileSync(join(dir, 'file.txt'), 'utf8')).toBe(`${['a', 'B', 'c', 'D', 'e', 'f', 'g'].join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
