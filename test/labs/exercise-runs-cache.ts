/**
 * The exercise self-tests' runs, kept between `npm test` runs (test/result-cache.ts): what
 * `check-exercises.ts` prints is a function of the committed kit (the base commit's tree, which is all it
 * checks), the installed packages (package-lock.json), Node, the few working-tree files it loads
 * itself, and the environment variables the kit's tools read. The key hashes all of them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { RESULT_CACHE_ROOT, ResultCache, resultKey } from '../result-cache';
import { kitBaseCommit } from './kit-base';

export const EXERCISE_RUNS = new ResultCache(join(RESULT_CACHE_ROOT, 'exercise-runs'));
/** Files of the working tree that check-exercises.ts runs itself (everything else comes from the base commit). */
const HARNESS_FILES = ['test/labs/check-exercises.ts', 'test/labs/kit-base.ts', 'labs/cli/fixtures.ts', 'labs/cli/kit-copy.ts', 'common/dist.ts', 'common/register.js'];
/** What the kit's tools read from the environment (K8S_* settings, CDK and Pulumi switches, clouds' credentials). */
const RELEVANT_ENV = /^(K8S_|CDK|PULUMI_|AWS_|GOOGLE_|CLOUDSDK_|NODE_OPTIONS$|TZ$|LANG$)/;

/** The cache key of one self-test run: undefined when the inputs cannot be pinned (no git, a fresh run asked for). */
export function exerciseRunsKey(args: readonly string[]): string | undefined {
  let tree: string;
  try {
    tree = execFileSync('git', ['rev-parse', `${kitBaseCommit()}^{tree}`], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
  const env = Object.entries(process.env).filter(([name]) => RELEVANT_ENV.test(name)).sort();
  return resultKey('exercise-runs v2', [
    args.join(' '),
    tree,
    ...['package-lock.json', ...HARNESS_FILES].flatMap((file) => [file, readFileSync(join(REPO_ROOT, file))]),
    ...env.map(([name, value]) => `${name}=${value}`),
  ]);
}
