/**
 * The kit's self-test of one lab's exercises, run as a learner would run the checks
 * (`lab check <lab> --exercise <N> --json`), each in its own tree:
 * - the starter: a pristine copy of the kit (git's HEAD, never the working tree, so nothing the
 *   learner changed counts), where every check must fail;
 * - each reference solution, applied to a copy of that pristine copy, where its check must pass;
 * - each wrong answer, applied the same way, where its check must fail with the expected problem.
 * All in this one process: each tree's own code loads fresh, while the tools' libraries (the
 * shared node_modules) load once. Prints { exercises: [{ number, starter, solution, wrongAnswers }] }
 * as JSON, each run as { code, out, err } (or { applyError } when a patch does not apply).
 * Usage: check-exercises.ts <lab> [<exercise number>...] (all of the lab's exercises by default).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { solutionPatch, wrongAnswers } from '../../labs/cli/fixtures';
import { applyPatch, copyOfKit, pristineCopyOfKit } from '../../labs/cli/kit-copy';
import type { runLab as RunLab } from '../../labs/cli/lab-command';
import type { findLab as FindLab } from '../../labs/index';

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A run, or why there was none: the patch does not apply to the kit as committed. */
export type PatchedRun = Run | { readonly applyError: string };

export interface ExerciseRuns {
  readonly number: number;
  readonly starter: Run;
  readonly solution: PatchedRun;
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

async function main(lab: string, only: readonly number[]): Promise<void> {
  const kit = pristineCopyOfKit();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the committed kit's own list of labs
    const { findLab } = require(join(kit, 'labs/index')) as { findLab: typeof FindLab };
    const fixtures = wrongAnswers(kit, lab);
    const exercises: ExerciseRuns[] = [];
    for (const { number } of (findLab(lab)?.exercises ?? []).filter((e) => only.length === 0 || only.includes(e.number))) {
      exercises.push({
        number,
        starter: await checkIn(kit, lab, number),
        solution: await checkWithPatch(kit, solutionPatch(lab, number), lab, number),
        wrongAnswers: await sequence(fixtures.filter((f) => f.exercise === number), async (f) => ({ path: f.path, run: await checkWithPatch(kit, f.path, lab, number) })),
      });
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

void main(process.argv[2], process.argv.slice(3).map(Number));
