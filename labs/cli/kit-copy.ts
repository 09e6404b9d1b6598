/**
 * Throwaway copies of the kit, for running it changed without touching the learner's working
 * tree. The kit's self-tests of its exercises start from `pristineCopyOfKit` (the kit as committed,
 * before the learner's own changes); the testing-iac checks run a learner's test against
 * `copyOfKit` of their own tree with a deliberate bug applied.
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
  return withNewCopy(root, (copy) => copyFiles(root, copy));
}

/**
 * A copy of the files of `commit` (git's HEAD unless given), sharing `root`'s node_modules: the kit
 * as committed, never the working tree, so a learner's changes in progress cannot change what the
 * kit's self-tests see. Git's index is not touched.
 */
export function pristineCopyOfKit(root = REPO_ROOT, commit = 'HEAD'): string {
  if (!existsSync(join(root, '.git'))) {
    throw new Error(`${root} is not a git clone: the kit's self-tests of its exercises copy the kit from git; run them in a clone`);
  }
  return withNewCopy(root, (copy) => {
    // The commit's tree through a throwaway index file: the learner's index (what they staged) stays as it is.
    // GIT_INDEX_FILE, not --index-output: git then locks the throwaway file, never .git/index, so copies
    // made at the same time (exercise self-tests in parallel workers) do not fail on each other's lock.
    const env = { ...process.env, GIT_INDEX_FILE: join(copy, '.pristine-index') };
    const git = (args: string[]) => execFileSync('git', args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    git(['read-tree', commit]);
    git(['checkout-index', '--all', `--prefix=${copy}/`]);
    rmSync(env.GIT_INDEX_FILE);
  });
}

function withNewCopy(root: string, fill: (copy: string) => void): string {
  const copy = mkdtempSync(join(tmpdir(), 'iac-lab-kit-'));
  try {
    fill(copy);
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

/**
 * Applies a `git diff` patch to `dir` (a copy need not be a git repository); throws git's message when
 * it does not apply. `contextLines` lowers how many of each hunk's context lines must match (git's -C),
 * for a small change into code whose neighbouring lines someone else has edited.
 */
export function applyPatch(dir: string, patchFile: string, contextLines?: number): void {
  const context = contextLines === undefined ? [] : [`-C${contextLines}`];
  execFileSync('git', ['apply', '--whitespace=nowarn', ...context, patchFile], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}
