/**
 * The kit's self-test of one lab's exercises, run as a learner would run the checks
 * (`lab check <lab> --exercise <N> --json`), each in its own tree:
 * - the starter: a pristine copy of the kit (its base commit, test/labs/kit-base.ts: never the
 *   working tree nor the learner's own commits, so nothing the learner changed counts), where every check must fail;
 * - each reference solution, applied to a copy of that pristine copy, where its check must pass;
 * - each wrong answer, applied the same way, where its check must fail with the expected problem.
 * All in this one process: each tree's own code loads fresh, while the tools' libraries (the
 * shared node_modules) load once. Prints { exercises: [{ number, starter, solution, wrongAnswers }] }
 * as JSON, each run as { code, out, err } (or { applyError } when a patch does not apply).
 * Usage: check-exercises.ts <lab> [--part checks|wrong-answers] [<exercise number>...] (all of the lab's
 * exercises by default; `--part` runs only the starter and solution trees, or only the wrong answers,
 * so a slow lab's self-test can be split over files that Jest runs in parallel).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { solutionPatch, wrongAnswers } from '../../labs/cli/fixtures';
import { applyPatch, copyOfKit, pristineCopyOfKit } from '../../labs/cli/kit-copy';
import type { runLab as RunLab } from '../../labs/cli/lab-command';
import type { findLab as FindLab } from '../../labs/index';
import { kitBaseCommit } from './kit-base';

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A run, or why there was none: the patch does not apply to the kit as committed. */
export type PatchedRun = Run | { readonly applyError: string };

/** Which trees to check: all, the starter and the solution, or the wrong answers. */
export type Part = 'all' | 'checks' | 'wrong-answers';

export interface ExerciseRuns {
  readonly number: number;
  /** Absent when only the wrong answers were run. */
  readonly starter?: Run;
  readonly solution?: PatchedRun;
  readonly wrongAnswers: readonly { readonly path: string; readonly run: PatchedRun }[];
}

async function checkIn(root: string, lab: string, exercise: number): Promise<Run> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- that tree's own command
  const { runLab } = require(join(root, 'labs/cli/lab-command')) as { runLab: typeof RunLab };
  let out = '';
  let err = '';
  const code = await runLab(['check', lab, '--exercise', String(exercise), '--json'], { out: (t) => (out += t), err: (t) => (err += t), tty: false });
  return { code, out, err };
}

/** The check of `exercise` in a copy of `kit` with `patch` (relative to the kit) applied. */
async function checkWithPatch(kit: string, patch: string, lab: string, exercise: number): Promise<PatchedRun> {
  const copy = copyOfKit(kit);
  try {
    try {
      applyPatch(copy, join(kit, patch));
    } catch (err) {
      return { applyError: `${patch} does not apply to the kit as committed: ${String((err as { stderr?: unknown }).stderr ?? err).trim()}` };
    }
    return await checkIn(copy, lab, exercise);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function main(lab: string, part: Part, only: readonly number[]): Promise<void> {
  const kit = pristineCopyOfKit(REPO_ROOT, kitBaseCommit());
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the committed kit's own list of labs
    const { findLab } = require(join(kit, 'labs/index')) as { findLab: typeof FindLab };
    const fixtures = wrongAnswers(kit, lab);
    const exercises: ExerciseRuns[] = [];
    for (const { number } of (findLab(lab)?.exercises ?? []).filter((e) => only.length === 0 || only.includes(e.number))) {
      const checks = part === 'wrong-answers' ? {} : { starter: await checkIn(kit, lab, number), solution: await checkWithPatch(kit, solutionPatch(lab, number), lab, number) };
      const wrong = part === 'checks' ? [] : fixtures.filter((f) => f.exercise === number);
      exercises.push({ number, ...checks, wrongAnswers: await sequence(wrong, async (f) => ({ path: f.path, run: await checkWithPatch(kit, f.path, lab, number) })) });
    }
    process.stdout.write(JSON.stringify({ exercises }));
  } finally {
    rmSync(kit, { recursive: true, force: true });
  }
}

/** One after the other: the checks share this process's libraries, and a 2-core machine its cores. */
async function sequence<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await run(item));
  return results;
}

const [lab, ...rest] = process.argv.slice(2);
const partAt = rest.indexOf('--part');
const part = (partAt < 0 ? 'all' : rest[partAt + 1]) as Part;
void main(lab, part, rest.filter((_arg, i) => partAt < 0 || (i !== partAt && i !== partAt + 1)).map(Number));
