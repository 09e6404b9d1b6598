/**
 * The exercise self-tests' runs, kept between `npm test` runs: what `check-exercises.ts` prints is a
 * function of the committed kit (git's HEAD tree, which is all it checks), the installed packages
 * (package-lock.json), Node, the few working-tree files it loads itself, and the environment variables
 * the kit's tools read. The key hashes all of them, so any change there runs the checks again; the
 * same inputs give the same JSON, which the tests then judge as they would a fresh run. A fresh clone
 * (the kit's CI) has no cache and runs everything. `IAC_LAB_FRESH_EXERCISE_RUNS=1` ignores the cache.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';

export const EXERCISE_RUNS_CACHE = join(REPO_ROOT, 'node_modules/.cache/iac-lab-kit/exercise-runs');
/** A few runs per lab and part; older ones are removed. */
export const MAX_ENTRIES = 64;
/** Files of the working tree that check-exercises.ts runs itself (everything else comes from HEAD). */
const HARNESS_FILES = ['test/labs/check-exercises.ts', 'labs/cli/fixtures.ts', 'labs/cli/kit-copy.ts', 'common/dist.ts', 'common/register.js'];
/** What the kit's tools read from the environment (K8S_* settings, CDK and Pulumi switches, clouds' credentials). */
const RELEVANT_ENV = /^(K8S_|CDK|PULUMI_|AWS_|GOOGLE_|CLOUDSDK_|NODE_OPTIONS$|TZ$|LANG$)/;

/** The cache key of one self-test run: undefined when the inputs cannot be pinned (no git, a fresh run asked for). */
export function exerciseRunsKey(args: readonly string[]): string | undefined {
  if (process.env.IAC_LAB_FRESH_EXERCISE_RUNS === '1') return undefined;
  let tree: string;
  try {
    tree = execFileSync('git', ['rev-parse', 'HEAD^{tree}'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
  const hash = createHash('sha256').update(`v1\0${args.join(' ')}\0${tree}\0${process.version} ${process.platform} ${process.arch}\0`);
  for (const file of ['package-lock.json', ...HARNESS_FILES]) hash.update(`${file}\0`).update(readFileSync(join(REPO_ROOT, file))).update('\0');
  for (const [name, value] of Object.entries(process.env).filter(([name]) => RELEVANT_ENV.test(name)).sort()) hash.update(`${name}=${value}\0`);
  return hash.digest('hex');
}

export function readExerciseRuns(key: string | undefined, dir = EXERCISE_RUNS_CACHE): string | undefined {
  if (key === undefined) return undefined;
  const path = join(dir, `${key}.json`);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Keeps a run's output (written whole, then renamed: a parallel reader never sees half of it). */
export function writeExerciseRuns(key: string | undefined, stdout: string, dir = EXERCISE_RUNS_CACHE): void {
  if (key === undefined) return;
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `${key}.${process.pid}.tmp`);
  writeFileSync(temporary, stdout);
  renameSync(temporary, join(dir, `${key}.json`));
  const entries = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ path: join(dir, name), time: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time || b.path.localeCompare(a.path));
  for (const stale of entries.slice(MAX_ENTRIES)) rmSync(stale.path, { force: true });
}
