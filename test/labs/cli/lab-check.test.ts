/** `lab check`: the policy steps, the Jest step, and a learner's exercise check (the other commands: lab-command.test.ts). */
import { checkLabs, testFilesOf } from '../../../labs/cli/check';
import { type FileResult, runJest } from '../../../labs/cli/jest';
import { findLab } from '../../../labs/index';
import { kitAsCommitted } from '../kit-base';
import { lab } from './run-lab';

describe('check', () => {
  test('--policies on a lab without policies says it checked nothing, never PASS', async () => {
    const { code, out } = await lab('check', 'testing-iac', '--policies');
    expect(code).toBe(0);
    expect(out).toBe('\n----  testing-iac: nothing to check with --policies (it has no policies; its tests are its check: npm run lab -- check testing-iac)\n');
  });

  test('--policies runs the lab\'s policy checks in both profiles and reports each step', async () => {
    const { code, out } = await lab('check', 'order-processing', '--policies');
    expect(code).toBe(0);
    expect(out).toMatch(/^\.\.\. order-processing: schema and pod policies \(dev\)$/m);
    expect(out).toMatch(/^ok {4}order-processing: schema and pod policies \(prod\) \(\d+\.\d s\)\n {8}\d+ objects, \d+ checks, all pass$/m);
    expect(out).toMatch(/\nPASS {2}order-processing\n$/);
    const json = JSON.parse((await lab('check', 'gke', '--policies', '--json')).out);
    expect(json).toEqual([{ lab: 'gke', pass: true, steps: [expect.objectContaining({ step: 'gke: CIS policies (dev)', pass: true }), expect.objectContaining({ step: 'gke: CIS policies (prod)', pass: true })] }]);
  });

  test('runs the tests with Jest and reports every test file', async () => {
    expect(await runJest(['test/common/dist'])).toEqual([{ file: 'test/common/dist.test.ts', pass: true, tests: 4, failures: [] }]);
  });

  test('reports the test step per lab, with the failing tests of a failing file', async () => {
    const files: FileResult[] = [
      { file: 'test/gcp/gke.test.ts', pass: false, tests: 3, failures: ['gke private nodes'] },
      { file: 'test/gcp/config.test.ts', pass: true, tests: 5, failures: [] },
      { file: 'test/gcp/cloudsql.test.ts', pass: true, tests: 4, failures: [] },
    ];
    let asked: readonly string[] = [];
    const reports = await checkLabs([findLab('gke')!, findLab('cloudsql')!], { start: () => undefined, end: () => undefined }, {
      runTests: async (patterns) => ((asked = patterns), files),
    });
    expect(asked).toEqual([...new Set([...findLab('gke')!.tests, ...findLab('cloudsql')!.tests])]);
    expect(reports.map((r) => [r.lab, r.pass])).toEqual([['gke', false], ['cloudsql', true]]);
    expect(reports[0].steps.at(-1)).toMatchObject({ step: 'gke: tests', pass: false, details: ['test/gcp/gke.test.ts: 1 failing', '  ✗ gke private nodes'] });
    expect(reports[1].steps.at(-1)).toMatchObject({ step: 'cloudsql: tests', pass: true, details: ['9 tests in 2 files passed'] });
  });

  test('a lab\'s test patterns are regular expressions, as Jest reads them: auto-pipe\'s test/aws files are its own, the e-commerce lab\'s are not', () => {
    const files: FileResult[] = [
      { file: 'test/aws/profiles.test.ts', pass: false, tests: 40, failures: ['AutoPipeService-dev matches its snapshot'] },
      { file: 'test/aws/ecommerce/stacks.test.ts', pass: false, tests: 20, failures: ['EcommerceBackend-dev matches its snapshot'] },
      { file: 'test/labs/auto-pipe.test.ts', pass: true, tests: 9, failures: [] },
    ];
    expect(testFilesOf(findLab('auto-pipe')!, files).map((f) => f.file)).toEqual(['test/aws/profiles.test.ts', 'test/labs/auto-pipe.test.ts']);
    expect(testFilesOf(findLab('ecommerce-backend')!, files).map((f) => f.file)).toEqual(['test/aws/ecommerce/stacks.test.ts']);
  });
});

test('check --exercise reports what is left to do, and exits 1 on the starter code (the kit as committed, whatever a learner has done)', async () => {
  const kit = kitAsCommitted();
  try {
    const { code, out } = await kit.lab('check', 'k8s-web-app', '--exercise', '1');
    expect(code).toBe(1);
    expect(out).toMatch(/^k8s-web-app, exercise 1: .+\nFAIL:\n( {2}- .+\n)+$/);
  } finally {
    kit.remove();
  }
}, 30_000);

