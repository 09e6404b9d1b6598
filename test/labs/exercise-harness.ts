/**
 * Proves a lab's exercise checks are not vacuous: every check fails on the starter code (the
 * repository as it is), and passes once its reference solution is applied, the way a learner
 * would run it: `npm run lab -- check <lab> --exercise <N>` in a copy of the kit with the patch.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { findLab, type LabId } from '../../labs/catalogue';
import { checkExercise } from '../../labs/check';
import { exercisesOf, solutionPatch } from '../../labs/exercises';
import { readGuide } from '../../labs/guide';
import { applyPatch, copyOfKit } from '../../labs/kit-copy';

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

    test.each(exercises.map((e) => [e.number, e.title] as const))('exercise %i (%s) passes with its solution applied', (number) => {
      const copy = copyOfKit();
      try {
        applyPatch(copy, join(REPO_ROOT, solutionPatch(labId, number)));
        const run = spawnSync(process.execPath, ['--import', 'tsx', 'labs/cli.ts', 'check', labId, '--exercise', String(number), '--json'], {
          cwd: copy,
          encoding: 'utf8',
        });
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
        expect(JSON.parse(run.stdout)).toMatchObject({ lab: labId, exercise: number, pass: true, problems: [] });
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    });
  });
}
