/**
 * Runs `lab check <lab> --exercise <N> --json` for every exercise of a lab, each in its own copy
 * of the kit with the exercise's reference solution applied, all in this one process: the copies'
 * own code loads fresh, while the tools' libraries (linked node_modules) load once.
 * Prints a JSON array of { exercise, code, out, err }. Used by the exercise harness.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import type { LabId } from '../../labs/catalogue';
import { exercisesOf, solutionPatch } from '../../labs/exercises';
import { applyPatch, copyOfKit } from '../../labs/kit-copy';
import type { runLab as RunLab } from '../../labs/lab-command';

async function main(lab: LabId): Promise<void> {
  const results = [];
  for (const { number } of exercisesOf(lab)) {
    const copy = copyOfKit();
    try {
      applyPatch(copy, join(REPO_ROOT, solutionPatch(lab, number)));
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copy's own command, patched
      const { runLab } = require(join(copy, 'labs/lab-command')) as { runLab: typeof RunLab };
      let out = '';
      let err = '';
      const code = await runLab(['check', lab, '--exercise', String(number), '--json'], { out: (t) => (out += t), err: (t) => (err += t), tty: false });
      results.push({ exercise: number, code, out, err });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

void main(process.argv[2] as LabId);
