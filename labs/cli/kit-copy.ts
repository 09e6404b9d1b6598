/**
 * Throwaway copies of the kit, for running it changed without touching the learner's working
 * tree: the testing-iac checks run a learner's test against a copy with a deliberate bug, and
 * the exercise tests check reference solutions in a copy with the solution applied.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';

/**
 * A copy of the kit's files at `root` (tracked and new, not ignored) that shares its node_modules.
 * `root` may itself be a copy, which is no git repository: then all its files but node_modules.
 */
export function copyOfKit(root = REPO_ROOT): string {
  const copy = mkdtempSync(join(tmpdir(), 'iac-lab-kit-'));
  try {
    copyFiles(root, copy);
    // The real folder, not a link to a link: a copy of a copy still shares the one install.
    symlinkSync(realpathSync(join(root, 'node_modules')), join(copy, 'node_modules'));
    return copy;
  } catch (err) {
    rmSync(copy, { recursive: true, force: true });
    throw err;
  }
}

function copyFiles(root: string, copy: string): void {
  if (!existsSync(join(root, '.git'))) {
    cpSync(root, copy, { recursive: true, filter: (path) => path !== join(root, 'node_modules') });
    return;
  }
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    try {
      cpSync(join(root, file), join(copy, file));
    } catch {
      // A tracked file deleted in the working tree: the copy follows the working tree.
    }
  }
}

/** Applies a `git diff` patch to `dir` (a copy need not be a git repository); throws git's message when it does not apply. */
export function applyPatch(dir: string, patchFile: string): void {
  execFileSync('git', ['apply', '--whitespace=nowarn', patchFile], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}
