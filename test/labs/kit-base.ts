/**
 * The commit the kit's exercise self-tests copy: the newest on HEAD's first-parent line at which
 * every patch the kit keeps for its exercises (reference solutions, wrong answers, mutants, as that
 * commit has them) still applies. In the kit's own clone that is HEAD. A learner who commits done
 * exercises (the guides' pipeline runs on a push) gets the kit's last commit before them, so the
 * self-tests keep judging the kit's checks, never the learner's work.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { pristineCopyOfKit } from '../../labs/cli/kit-copy';
import { RESULT_CACHE_ROOT, ResultCache, resultKey } from '../result-cache';

/** Commits looked at before giving up: a learner's own history on top of the kit. */
const MAX_COMMITS = 200;
const EXERCISE_PATCH = /^labs\/[^/]+\/(solutions|wrong-answers|mutants)\/[^/]+\.patch$/;
const BASES = new ResultCache(join(RESULT_CACHE_ROOT, 'kit-base'));

/** The kit's base commit for `root`'s HEAD; the answer for one HEAD never changes, so it is kept. */
export function kitBaseCommit(root = REPO_ROOT): string {
  const head = git(root, ['rev-parse', 'HEAD']).trim();
  return BASES.through(resultKey('kit-base v1', [head]), () => findBase(root));
}

/** The kit as committed, for the tests that judge the kit itself (its docs, its starter code). */
export interface CommittedKit {
  /** REPO_ROOT when its tracked files are the base commit's, else a pristine copy of the base. */
  readonly root: string;
  /** Runs a `lab` command line there, as a learner types it (in this process when it is REPO_ROOT); its exit code and output. */
  lab(...argv: string[]): Promise<{ code: number | null; out: string; err: string }>;
  remove(): void;
}

/**
 * The kit as committed at its base: the working tree itself when nobody has changed a tracked file
 * since (the kit's CI, a fresh clone), otherwise a pristine copy, so a learner's exercises never
 * make the kit's checks of its own docs and starter code fail. Kit developers: commit first.
 */
export function kitAsCommitted(): CommittedKit {
  const base = kitBaseCommit();
  const unchanged = git(REPO_ROOT, ['rev-parse', 'HEAD']).trim() === base && git(REPO_ROOT, ['status', '--porcelain', '--untracked-files=no']).trim() === '';
  const root = unchanged ? REPO_ROOT : pristineCopyOfKit(REPO_ROOT, base);
  return {
    root,
    lab: async (...argv) => {
      if (root === REPO_ROOT) {
        // Loaded here, not at the top: the exercise self-tests import this module and need none of the lab command.
        const { lab } = require('./cli/run-lab') as typeof import('./cli/run-lab'); // eslint-disable-line @typescript-eslint/no-require-imports
        return lab(...argv);
      }
      const result = spawnSync(process.execPath, ['--require', join(root, 'common/register.js'), join(root, 'labs/cli/cli.ts'), ...argv], { cwd: root, encoding: 'utf8' });
      return { code: result.status, out: result.stdout, err: result.stderr };
    },
    remove: () => {
      if (root !== REPO_ROOT) rmSync(root, { recursive: true, force: true });
    },
  };
}

function findBase(root: string): string {
  const commits = git(root, ['rev-list', '--first-parent', `--max-count=${MAX_COMMITS}`, 'HEAD']).split('\n').filter(Boolean);
  const index = mkdtempSync(join(tmpdir(), 'iac-lab-kit-base-'));
  try {
    const base = commits.find((commit) => exercisePatchesApply(root, commit, join(index, 'index')));
    if (base === undefined) {
      throw new Error(
        `the kit's exercise patches (labs/*/solutions, wrong-answers, mutants) apply to none of the last ${commits.length} commits of HEAD's history: ` +
          'the self-tests need the kit as it was before your own changes (git log --first-parent shows where your commits begin)',
      );
    }
    return base;
  } finally {
    rmSync(index, { recursive: true, force: true });
  }
}

/** Whether each of `commit`'s exercise patches applies to `commit`'s own tree (read into a throwaway index). */
function exercisePatchesApply(root: string, commit: string, indexFile: string): boolean {
  const env = { ...process.env, GIT_INDEX_FILE: indexFile };
  git(root, ['read-tree', commit], env);
  const patches = git(root, ['ls-tree', '-r', '--name-only', commit, '--', 'labs']).split('\n').filter((path) => EXERCISE_PATCH.test(path));
  return patches.every((path) => {
    try {
      execFileSync('git', ['apply', '--cached', '--check', '-'], { cwd: root, env, input: git(root, ['show', `${commit}:${path}`]), stdio: ['pipe', 'ignore', 'ignore'] });
      return true;
    } catch {
      return false;
    }
  });
}

function git(root: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync('git', args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
}
