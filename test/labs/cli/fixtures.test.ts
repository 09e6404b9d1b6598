import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedProblem, wrongAnswers } from '../../../labs/cli/fixtures';

const DIFF = 'diff --git a/k8s/x.ts b/k8s/x.ts\n--- a/k8s/x.ts\n+++ b/k8s/x.ts\n@@ -1 +1 @@\n-a\n+b\n';

describe('a wrong answer names what its check must report in exactly one Expect line before its diff', () => {
  test('the line is read, whatever text is around it', () => {
    expect(expectedProblem('w.patch', `Mounts a second volume at the same path.\n\nExpect:  mountPath must be unique \n\n${DIFF}`)).toBe('mountPath must be unique');
  });

  test.each([
    ['none', `No expectation.\n\n${DIFF}`, 'w.patch: found 0 Expect lines before the diff; write exactly one, "Expect: <a part of the problem the check must report>"'],
    ['two', `Expect: a\nExpect: b\n${DIFF}`, 'w.patch: found 2 Expect lines before the diff'],
    ['an empty one', `Expect:\n${DIFF}`, 'w.patch: found 1 Expect lines before the diff'],
    ['one inside the diff only', `${DIFF}+Expect: b\n`, 'w.patch: found 0 Expect lines'],
    ['no diff', 'Expect: a\n', 'w.patch: no diff in it; put the output of git diff after the text'],
  ])('%s is an error that names the file and the fix', (_case, text, message) => {
    expect(() => expectedProblem('w.patch', text)).toThrow(message);
  });
});

test('wrong answers are listed by exercise and name, and a misnamed file is an error', () => {
  const root = mkdtempSync(join(tmpdir(), 'fixtures-'));
  try {
    const dir = join(root, 'labs/lab-x/wrong-answers');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'exercise-2-only-dev.patch'), `Expect: prod\n${DIFF}`);
    writeFileSync(join(dir, 'exercise-10-b.patch'), `Expect: b\n${DIFF}`);
    writeFileSync(join(dir, 'exercise-2-asserts-nothing.patch'), `Expect: nothing\n${DIFF}`);
    expect(wrongAnswers(root, 'lab-x').map((w) => [w.exercise, w.slug, w.path, w.expect])).toEqual([
      [2, 'asserts-nothing', 'labs/lab-x/wrong-answers/exercise-2-asserts-nothing.patch', 'nothing'],
      [2, 'only-dev', 'labs/lab-x/wrong-answers/exercise-2-only-dev.patch', 'prod'],
      [10, 'b', 'labs/lab-x/wrong-answers/exercise-10-b.patch', 'b'],
    ]);
    expect(wrongAnswers(root, 'lab-without-fixtures')).toEqual([]);
    writeFileSync(join(dir, 'exercise2_Typo.patch'), `Expect: b\n${DIFF}`);
    expect(() => wrongAnswers(root, 'lab-x')).toThrow('labs/lab-x/wrong-answers/exercise2_Typo.patch: a wrong answer is named exercise-<N>-<what-is-wrong>.patch');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
