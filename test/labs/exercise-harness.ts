/**
 * Proves a lab's exercise checks are not vacuous: every check fails on the starter code (the
 * repository as it is), and passes once its reference solution is applied, the way a learner
 * would run it: `lab check <lab> --exercise <N>`, in a copy of the kit with the patch.
 * The checks run in one child process per lab (test/labs/check-exercises.ts), so the tools'
 * libraries load once for all of a lab's exercises.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { type LabId, labOf } from '../../labs/index';
import { readGuide } from '../../labs/cli/guide';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export function describeExercises(labId: LabId): void {
  const exercises = labOf(labId).exercises;
  const cases = exercises.map((e) => [e.number, e.title] as const);
  let results: { exercise: number; starter: Run; solution: Run }[];
  const resultOf = (number: number) => results.find((r) => r.exercise === number)!;

  describe(`${labId} exercises`, () => {
    beforeAll(async () => {
      const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['--require', join(REPO_ROOT, 'common/register.js'), join(REPO_ROOT, 'test/labs/check-exercises.ts'), labId], { cwd: REPO_ROOT, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
          resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      results = JSON.parse(run.stdout);
    }, 180_000);

    test('match the guide: at least three, numbered from 1, titled as the guide titles them', () => {
      const guide = readGuide(labId);
      expect(exercises.length).toBeGreaterThanOrEqual(3);
      expect(exercises.map((e) => e.number)).toEqual(exercises.map((_, i) => i + 1));
      expect(Object.fromEntries(cases)).toEqual(Object.fromEntries(guide.exercises));
    });

    test.each(cases)('exercise %i (%s) fails on the starter code, saying what is left to do', (number) => {
      const { code, out, err } = resultOf(number).starter;
      expect({ code, err }).toEqual({ code: 1, err: '' });
      const report = JSON.parse(out);
      expect(report).toMatchObject({ lab: labId, exercise: number, pass: false });
      expect(report.problems.length).toBeGreaterThan(0);
    });

    test.each(cases)('exercise %i (%s) passes with its reference solution applied', (number) => {
      const { code, out, err } = resultOf(number).solution;
      expect({ code, err }).toEqual({ code: 0, err: '' });
      expect(JSON.parse(out)).toMatchObject({ lab: labId, exercise: number, pass: true, problems: [] });
    });
  });
}
