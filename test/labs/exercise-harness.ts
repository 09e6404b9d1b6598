/**
 * Proves a lab's exercise checks are not vacuous: every check fails on the starter code (the
 * repository as it is), and passes once its reference solution is applied, the way a learner
 * would run it: `lab check <lab> --exercise <N>`, in a copy of the kit with the patch.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { findLab, type LabId } from '../../labs/catalogue';
import { checkExercise } from '../../labs/check';
import { exercisesOf } from '../../labs/exercises';
import { readGuide } from '../../labs/guide';

export function describeExercises(labId: LabId): void {
  const lab = findLab(labId)!;
  const exercises = exercisesOf(labId);

  describe(`${labId} exercises`, () => {
    test('match the guide: at least three, numbered from 1, titled as the guide titles them', () => {
      const guide = readGuide(labId);
      expect(exercises.length).toBeGreaterThanOrEqual(3);
      expect(exercises.map((e) => e.number)).toEqual(exercises.map((_, i) => i + 1));
      expect(Object.fromEntries(exercises.map((e) => [e.number, e.title]))).toEqual(Object.fromEntries(guide.exercises));
    });

    test.each(exercises.map((e) => [e.number, e.title] as const))('exercise %i (%s) fails on the starter code', async (number) => {
      const report = await checkExercise(lab, number);
      expect(report.pass).toBe(false);
      expect(report.problems.length).toBeGreaterThan(0);
    });

    describe('with its reference solution applied', () => {
      // One process checks every solution of the lab, each in its own patched copy of the kit.
      let results: { exercise: number; code: number; out: string; err: string }[];
      beforeAll(async () => {
        const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          execFile(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/labs/check-solutions.ts'), labId], { cwd: REPO_ROOT, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
            resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
          );
        });
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
        results = JSON.parse(run.stdout);
      }, 180_000);

      test.each(exercises.map((e) => [e.number, e.title] as const))('exercise %i (%s) passes', (number) => {
        const result = results.find((r) => r.exercise === number)!;
        expect({ code: result.code, err: result.err }).toEqual({ code: 0, err: '' });
        expect(JSON.parse(result.out)).toMatchObject({ lab: labId, exercise: number, pass: true, problems: [] });
      });
    });
  });
}
