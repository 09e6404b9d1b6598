/**
 * Proves a lab's exercise checks judge: every check fails on the starter code, fails with the
 * expected problem on each wrong answer kept in labs/<lab>/wrong-answers/, and passes once its
 * reference solution is applied, the way a learner runs it (`lab check <lab> --exercise <N>`).
 * All of it runs on the kit as committed (its base commit, test/labs/kit-base.ts: HEAD in the kit's
 * own clone), never the working tree nor a learner's own commits: a learner's work cannot make these tests fail. Kit developers: commit a change to a check, a solution or a
 * wrong answer before these tests see it. The checks run in one child process per lab
 * (test/labs/check-exercises.ts), so the tools' libraries load once for all of a lab's trees.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { wrongAnswers } from '../../labs/cli/fixtures';
import { readGuide } from '../../labs/cli/guide';
import { type LabId, labOf } from '../../labs/index';
import type { ExerciseRuns, Part, PatchedRun, Run } from './check-exercises';
import { EXERCISE_RUNS, exerciseRunsKey } from './exercise-runs-cache';

/** A line of a JavaScript stack trace, which no learner should ever see. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

/**
 * `only` and `part` split a slow lab's self-test over several test files, which Jest runs in parallel:
 * `only` by exercise, `part` into the starter-and-solution trees and the wrong answers. The file that
 * checks exercise 1's starter also compares the exercises with the guide.
 */
export function describeExercises(labId: LabId, only?: readonly number[], part: Part = 'all'): void {
  const all = labOf(labId).exercises;
  const exercises = only === undefined ? all : all.filter((e) => only.includes(e.number));
  const cases = exercises.map((e) => [e.number, e.title] as const);
  const fixtures = wrongAnswers(REPO_ROOT, labId)
    .filter((f) => part !== 'checks' && exercises.some((e) => e.number === f.exercise))
    .map((f) => [f.exercise, f.slug, f] as const);
  let runs: ExerciseRuns[];
  const runsOf = (number: number): ExerciseRuns => {
    const found = runs.find((r) => r.number === number);
    if (found === undefined) throw new Error(`exercise ${number} is not in the kit as committed: these tests run on its base commit (HEAD in the kit's own clone), commit it first`);
    return found;
  };
  const ran = (run: PatchedRun): Run => {
    if ('applyError' in run) throw new Error(run.applyError);
    return run;
  };

  describe(`${labId} exercises`, () => {
    beforeAll(async () => {
      const args = [labId, '--part', part, ...cases.map(([n]) => String(n))];
      // The same committed kit, packages and environment give the same runs: reuse the last ones.
      const key = exerciseRunsKey(args);
      const cached = EXERCISE_RUNS.read(key);
      if (cached !== undefined) {
        runs = JSON.parse(cached).exercises;
        return;
      }
      const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['--require', join(REPO_ROOT, 'common/register.js'), join(REPO_ROOT, 'test/labs/check-exercises.ts'), ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
          resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      runs = JSON.parse(run.stdout).exercises;
      EXERCISE_RUNS.write(key, run.stdout);
    }, 180_000);

    if (part !== 'wrong-answers' && exercises.some((e) => e.number === 1)) {
      test('match the guide: at least three, numbered from 1, titled as the guide titles them', () => {
        const guide = readGuide(labId);
        expect(all.length).toBeGreaterThanOrEqual(3);
        expect(all.map((e) => e.number)).toEqual(all.map((_, i) => i + 1));
        expect(Object.fromEntries(all.map((e) => [e.number, e.title]))).toEqual(Object.fromEntries(guide.exercises));
      });
    }

    if (part !== 'wrong-answers') {
      test.each(cases)('exercise %i (%s) fails on the starter code, saying what is left to do', (number) => {
        const { code, out, err } = runsOf(number).starter!;
        expect({ code, err }).toEqual({ code: 1, err: '' });
        const report = JSON.parse(out);
        expect(report).toMatchObject({ lab: labId, exercise: number, pass: false });
        expect(report.problems.length).toBeGreaterThan(0);
        expect(report.problems.filter((p: string) => STACK_LINE.test(p))).toEqual([]);
      });

      test.each(cases)('exercise %i (%s) passes with its reference solution applied', (number) => {
        const { code, out, err } = ran(runsOf(number).solution!);
        expect({ code, err }).toEqual({ code: 0, err: '' });
        expect(JSON.parse(out)).toMatchObject({ lab: labId, exercise: number, pass: true, problems: [] });
      });
    }

    if (fixtures.length > 0) {
      test.each(fixtures)('exercise %i, wrong answer %s: fails, saying what is still missing', (number, _slug, fixture) => {
        const found = runsOf(number).wrongAnswers.find((w) => w.path === fixture.path);
        if (found === undefined) throw new Error(`${fixture.path} is not in the kit as committed: these tests run on its base commit (HEAD in the kit's own clone), commit it first`);
        const { code, out, err } = ran(found.run);
        expect({ code, err }).toEqual({ code: 1, err: '' });
        const { pass, problems } = JSON.parse(out) as { pass: boolean; problems: string[] };
        expect(pass).toBe(false);
        expect(problems).toContainEqual(expect.stringContaining(fixture.expect));
        expect(problems.filter((p) => STACK_LINE.test(p))).toEqual([]);
      });
    }
  });
}
