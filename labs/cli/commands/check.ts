/** `lab check <lab>|--all [--policies] [--json]`, and `lab check <lab> --exercise <N>`. */
import { checkExercise, checkLabs } from '../check';
import { type Io, progressTo, SILENT } from '../io';
import type { Lab } from '../lab';

export async function check(labs: readonly Lab[], tests: boolean, json: boolean, io: Io): Promise<number> {
  const reports = await checkLabs(labs, json ? SILENT : progressTo(io), { tests });
  const pass = reports.every((r) => r.pass);
  if (json) io.out(`${JSON.stringify(reports, null, 2)}\n`);
  else {
    // A lab with no policies, checked with --policies, ran nothing: say so rather than PASS.
    const line = (r: (typeof reports)[number]) =>
      r.steps.length === 0 ? `----  ${r.lab}: nothing to check with --policies (it has no policies; its tests are its check: npm run lab -- check ${r.lab})` : `${r.pass ? 'PASS' : 'FAIL'}  ${r.lab}`;
    io.out(`\n${reports.map(line).join('\n')}\n`);
  }
  return pass ? 0 : 1;
}

export async function exercise(lab: Lab, number: number, json: boolean, io: Io): Promise<number> {
  const report = await checkExercise(lab, number);
  if (json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else {
    io.out(`${lab.id}, exercise ${number}: ${report.title}\n`);
    io.out(report.pass ? 'PASS: done.\n' : `FAIL:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  }
  return report.pass ? 0 : 1;
}
