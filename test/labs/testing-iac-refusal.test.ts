/** The testing-iac checks refuse a learner's test that cannot fail (the reference solutions: testing-iac.test.ts). */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyOfKit } from '../../labs/cli/kit-copy';
import type { LabOutput } from '../../labs/cli/lab';
import { labOf } from '../../labs/index';

// The testing-iac checks read the learner's files, not a synthesized lab.
const nothingSynthesized = (profile: 'dev' | 'prod'): LabOutput => ({ lab: 'testing-iac', profile, resources: [], files: [] });

test('a test that cannot catch the bug is refused: it passes on the kit and on the mutant alike', async () => {
  const copy = copyOfKit();
  try {
    // Checks only that the unchanged chart passes: true with the bug too.
    mkdirSync(join(copy, 'test/exercises'));
    writeFileSync(
      join(copy, 'test/exercises/privilege-escalation.test.ts'),
      [
        "import { checkManifests } from '../../k8s/checks';",
        "import { synthCharts } from '../../k8s/synth';",
        '',
        "test('the web app passes', () => {",
        "  expect(checkManifests(synthCharts()[0].manifests).filter((r) => !r.pass)).toEqual([]);",
        '});',
        '',
      ].join('\n'),
    );
    const problems = await labOf('testing-iac').exercises.find((e) => e.number === 3)!.check({ root: copy, dev: nothingSynthesized('dev'), prod: nothingSynthesized('prod') });
    expect(problems).toEqual([expect.stringContaining('still passes when the pss-privilege-escalation check never fails')]);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}, 120_000); // two Jest runs in child processes: seconds alone, far more on a busy 2-core machine
