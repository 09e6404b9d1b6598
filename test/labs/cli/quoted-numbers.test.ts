/** The numbers the docs quote from the kit's commands follow the code: `lab docs --check` catches a drifted one. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/dist';
import { liveFacts, QUOTED_NUMBERS, staleQuotedNumbers } from '../../../labs/cli/quoted-numbers';

const facts = liveFacts();
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

test('every quoted number is what the commands print today', async () => {
  expect((await staleQuotedNumbers(read, facts)).map((s) => s.path)).toEqual([]); // fix: npm run lab -- docs
}, 30_000);

test.each([
  ['README.md', 'gke (dev): 16 resources', 'gke (dev): 17 resources'],
  ['README.md', '  65 objects, 241 passed, 0 failed', '  64 objects, 239 passed, 0 failed'],
  ['README.md', '(20 and 51\nresources)', '(20 and 50\nresources)'],
  ['labs/gke/README.md', '+ 22 to create', '+ 18 to create'],
  ['labs/gcp-platform/README.md', 'Resources: + 46 created', 'Resources: + 42 created'],
  ['labs/k8s-web-app/README.md', '12 objects, 45 passed, 0 failed', '11 objects, 43 passed, 0 failed'],
  ['labs/order-processing/README.md', 'Apply the dev profile (64 objects', 'Apply the dev profile (63 objects'],
  ['labs/testing-iac/README.md', /testing-iac: \d+ resources/, 'testing-iac: 70 resources'],
] as const)('%s: a drifted "%s" is caught and put back', async (path, today, drifted) => {
  const original = read(path);
  const edited = original.replace(today, drifted);
  expect(edited).not.toBe(original);
  const stale = await staleQuotedNumbers((p) => (p === path ? edited : read(p)), facts);
  expect(stale.map((s) => s.path)).toEqual([path]);
  expect(stale[0].fixed).toBe(original);
}, 30_000);

test('each rule names a file that exists and quotes at least one number it recomputes', async () => {
  for (const { path, rewrite } of QUOTED_NUMBERS) {
    const text = read(path);
    // Zeroing every number the rules look at must change the file: a rule that matches nothing is dead.
    const zeroed = text.replace(/\d+(?= (?:resources|to create|created|objects))/g, '0').replace(/\(\d+ and \d+\n/g, '(0 and 0\n');
    expect({ path, changes: (await rewrite(zeroed, facts)) !== zeroed }).toEqual({ path, changes: true });
  }
}, 30_000);
