/**
 * A learner who has done every exercise, the way the guides ask, still has a green kit: in a clone
 * of the kit, every lab's reference solutions are applied in order with git's three-way merge and
 * committed (as a learner commits their work), the snapshots are updated (the guides: read the diff,
 * then `-u`), and then the learner-facing commands run there: `npm test`, every lab's policy checks
 * and every exercise's check (each must now PASS). `npm run test:solutions` (jest.solutions.config.js);
 * four to five minutes on 2 cores, so it is not part of `npm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { labOf, LAB_IDS } from '../../labs/index';
import { kitBaseCommit } from '../labs/kit-base';

jest.setTimeout(15 * 60_000);

const clone = mkdtempSync(join(tmpdir(), 'iac-lab-kit-learner-'));
afterAll(() => rmSync(clone, { recursive: true, force: true }));

const LEARNER = { GIT_AUTHOR_NAME: 'Learner', GIT_AUTHOR_EMAIL: 'learner@example.com', GIT_COMMITTER_NAME: 'Learner', GIT_COMMITTER_EMAIL: 'learner@example.com' };
const git = (args: readonly string[]) => execFileSync('git', args, { cwd: clone, env: { ...process.env, ...LEARNER }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A command in the clone, as a learner types it; its exit code and the end of its output. */
function run(command: string, args: readonly string[]): { status: number | null; tail: string } {
  const result = spawnSync(command, args, { cwd: clone, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${result.stdout}${result.stderr}`.trimEnd().split('\n');
  return { status: result.status, tail: output.slice(-40).join('\n') };
}

const solutionsOf = (lab: string) =>
  readdirSync(join(clone, 'labs', lab, 'solutions'))
    .filter((name) => /^exercise-\d+\.patch$/.test(name))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));

test('a clone of the kit as it was before any exercise', () => {
  execFileSync('git', ['clone', '--quiet', '--shared', '--no-checkout', REPO_ROOT, clone]);
  git(['checkout', '--quiet', '--detach', kitBaseCommit()]);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'));
  expect(existsSync(join(clone, 'package.json'))).toBe(true);
});

test.each(LAB_IDS.map((lab) => [lab]))('%s: every reference solution applies on top of the others, and is committed', (lab) => {
  const applied = solutionsOf(lab).map((patch) => {
    const path = `labs/${lab}/solutions/${patch}`;
    const merged = spawnSync('git', ['apply', '--3way', '--whitespace=nowarn', path], { cwd: clone, encoding: 'utf8' });
    const conflicts = git(['diff', '--name-only', '--diff-filter=U']).trim();
    git(['add', '--all']);
    git(['commit', '--quiet', '--allow-empty', '-m', `${lab}: ${patch}`]);
    return { path, status: merged.status, conflicts, message: merged.status === 0 ? '' : merged.stderr.trim().split('\n').slice(-3).join(' ') };
  });
  expect(applied).toEqual(applied.map(({ path }) => ({ path, status: 0, conflicts: '', message: '' })));
});

test('the snapshots are updated, as the guides ask once their diff is read', () => {
  const withSnapshots = execFileSync('git', ['ls-files', '--', 'test/**/__snapshots__/*.snap'], { cwd: clone, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((snap) => snap.replace(/__snapshots__\/(.+)\.snap$/, '$1'));
  const updated = run(process.execPath, [join(REPO_ROOT, 'node_modules/jest/bin/jest'), '--ci=false', '-u', '--runTestsByPath', ...withSnapshots]);
  expect({ status: updated.status, tail: updated.tail }).toEqual({ status: 0, tail: expect.any(String) });
  git(['add', '--all']);
  git(['commit', '--quiet', '--allow-empty', '-m', 'snapshots after reading their diff']);
});

test('npm test passes', () => {
  const result = run('npm', ['test']);
  expect({ status: result.status, tail: result.status === 0 ? '' : result.tail }).toEqual({ status: 0, tail: '' });
});

test('every lab\'s policy checks pass: npm run lab -- check --all --policies', () => {
  const result = run('npm', ['run', '-s', 'lab', '--', 'check', '--all', '--policies']);
  expect({ status: result.status, tail: result.status === 0 ? '' : result.tail }).toEqual({ status: 0, tail: '' });
});

test.each(LAB_IDS.flatMap((lab) => labOf(lab).exercises.map((e) => [lab, e.number] as const)))('%s exercise %i: its check passes with every exercise done', (lab, number) => {
  const result = run('npm', ['run', '-s', 'lab', '--', 'check', lab, '--exercise', String(number)]);
  expect({ status: result.status, tail: result.status === 0 ? '' : result.tail }).toEqual({ status: 0, tail: '' });
});
