/**
 * The base commit of the exercise self-tests follows a learner's commits back to the kit: in a
 * clone of the kit (no working tree, git's plumbing only), a commit of a done exercise on top of
 * the kit's HEAD leaves the base at the kit's HEAD; the kit's HEAD is its own base.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { kitBaseCommit } from './kit-base';

const clone = mkdtempSync(join(tmpdir(), 'iac-lab-kit-clone-'));
afterAll(() => rmSync(clone, { recursive: true, force: true }));
const run = (args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) =>
  execFileSync('git', args, { cwd: clone, encoding: 'utf8', env: { ...process.env, ...options.env }, input: options.input });
const git = (args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) => run(args, options).trim();

/** A learner's commit of `patch` (a file of the kit's HEAD) on top of the clone's HEAD. */
function commitPatch(patch: string, message: string): string {
  const env = { GIT_INDEX_FILE: join(clone, 'learner-index'), GIT_AUTHOR_NAME: 'Learner', GIT_AUTHOR_EMAIL: 'learner@example.com', GIT_COMMITTER_NAME: 'Learner', GIT_COMMITTER_EMAIL: 'learner@example.com' };
  git(['read-tree', 'HEAD'], { env });
  git(['apply', '--cached', '-'], { env, input: run(['show', `HEAD:${patch}`]) });
  const commit = git(['commit-tree', git(['write-tree'], { env }), '-p', 'HEAD', '-m', message], { env });
  git(['update-ref', 'HEAD', commit]);
  return commit;
}

test('the kit\'s HEAD is its own base, and a learner\'s committed exercises leave it there', () => {
  execFileSync('git', ['clone', '--quiet', '--shared', '--no-checkout', REPO_ROOT, clone]);
  // The kit as it was before any of the learner's commits this clone may hold.
  git(['update-ref', 'HEAD', kitBaseCommit()]);
  const kitHead = git(['rev-parse', 'HEAD']);
  expect(kitBaseCommit(clone)).toBe(kitHead);

  commitPatch('labs/auto-pipe/solutions/exercise-1.patch', 'auto-pipe exercise 1');
  const second = commitPatch('labs/k8s-web-app/solutions/exercise-2.patch', 'k8s-web-app exercise 2');
  expect(git(['rev-parse', 'HEAD'])).toBe(second);
  expect(kitBaseCommit(clone)).toBe(kitHead);
});
