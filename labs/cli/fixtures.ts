/**
 * The patches that come with each exercise, under labs/<id>/, each a `git diff` against the kit:
 * the reference solution (solutions/exercise-<N>.patch) and plausible wrong or partial answers
 * (wrong-answers/exercise-<N>-<slug>.patch). A wrong answer opens with free text (git apply skips
 * everything before the first `diff --git`) that holds exactly one line `Expect: <text>`: a part
 * of the problem the exercise's check must report for it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function solutionPatch(lab: string, number: number): string {
  return `labs/${lab}/solutions/exercise-${number}.patch`;
}

export interface WrongAnswer {
  readonly exercise: number;
  /** What is wrong with it, in the file name: `exercise-3-dns-in-kube-system.patch` is `dns-in-kube-system`. */
  readonly slug: string;
  /** Relative to the repository root. */
  readonly path: string;
  /** A part of the problem the check must report. */
  readonly expect: string;
}

const WRONG_ANSWER_FILE = /^exercise-(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.patch$/;

/** The wrong answers kept for a lab's exercises, by exercise and name; a misnamed or malformed file is an error naming the fix. */
export function wrongAnswers(root: string, lab: string): WrongAnswer[] {
  const dir = `labs/${lab}/wrong-answers`;
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir))
    .sort()
    .map((name) => {
      const path = `${dir}/${name}`;
      const match = WRONG_ANSWER_FILE.exec(name);
      if (match === null) throw new Error(`${path}: a wrong answer is named exercise-<N>-<what-is-wrong>.patch (lowercase words and hyphens)`);
      return { exercise: Number(match[1]), slug: match[2], path, expect: expectedProblem(path, readFileSync(join(root, path), 'utf8')) };
    })
    .sort((a, b) => a.exercise - b.exercise || a.slug.localeCompare(b.slug));
}

/** The one `Expect:` line of a wrong answer's text, before its diff. */
export function expectedProblem(path: string, patch: string): string {
  const diffAt = patch.search(/^diff --git /m);
  if (diffAt < 0) throw new Error(`${path}: no diff in it; put the output of git diff after the text`);
  const expects = [...patch.slice(0, diffAt).matchAll(/^Expect: *(.*)$/gm)].map((m) => m[1].trim());
  if (expects.length !== 1 || expects[0] === '') {
    throw new Error(`${path}: found ${expects.length} Expect lines before the diff; write exactly one, "Expect: <a part of the problem the check must report>"`);
  }
  return expects[0];
}
