/**
 * Runs `lab check <lab> --exercise <N> --json` for every exercise of a lab twice: on the kit as it
 * is (the starter code), and in a copy of the kit with the exercise's reference solution applied.
 * All in this one process: each copy's own code loads fresh, while the tools' libraries (the
 * shared node_modules) load once. Prints a JSON array of { exercise, starter, solution }, each
 * run as { code, out, err }. Used by the exercise harness.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { type LabId, labOf } from '../../labs/index';
import { solutionPatch } from '../../labs/cli/fixtures';
import { applyPatch, copyOfKit } from '../../labs/cli/kit-copy';
import type { runLab as RunLab } from '../../labs/cli/lab-command';

async function checkIn(root: string, lab: LabId, exercise: number) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- that tree's own command
  const { runLab } = require(join(root, 'labs/cli/lab-command')) as { runLab: typeof RunLab };
  let out = '';
  let err = '';
  const code = await runLab(['check', lab, '--exercise', String(exercise), '--json'], { out: (t) => (out += t), err: (t) => (err += t), tty: false });
  return { code, out, err };
}

async function main(lab: LabId): Promise<void> {
  const results = [];
  for (const { number } of labOf(lab).exercises) {
    const starter = await checkIn(REPO_ROOT, lab, number);
    const copy = copyOfKit();
    try {
      applyPatch(copy, join(REPO_ROOT, solutionPatch(lab, number)));
      results.push({ exercise: number, starter, solution: await checkIn(copy, lab, number) });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

void main(process.argv[2] as LabId);
