/** The numbers the docs quote from the kit's commands follow the code: `lab docs --check` catches a drifted one. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/dist';
import { liveFacts, QUOTED_NUMBERS, staleQuotedNumbers } from '../../../labs/cli/quoted-numbers';

const facts = liveFacts();
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

// That every quoted number of the committed kit is fresh is `lab docs --check` (lab-command.test.ts).

/** The files `lab docs` would rewrite from this tree's code (a learner's exercises may change a number), computed once. */
let rewritten: Promise<Awaited<ReturnType<typeof staleQuotedNumbers>>> | undefined;
/** The file as `lab docs` would write it from this tree's code. */
async function fresh(path: string): Promise<string> {
  rewritten ??= staleQuotedNumbers(read, facts);
  return (await rewritten).find((s) => s.path === path)?.fixed ?? read(path);
}

test.each([
  ['README.md', /gke \(dev\): \d+ resources/],
  ['README.md', / {2}\d+ objects, \d+ passed, 0 failed/],
  ['README.md', /\(\d+ and \d+\nresources\)/],
  ['labs/gke/README.md', /\+ \d+ to create/],
  ['labs/gcp-platform/README.md', /Resources: \+ \d+ created/],
  ['labs/k8s-web-app/README.md', /\d+ objects, \d+ passed, 0 failed/],
  ['labs/order-processing/README.md', /Apply the dev profile \(\d+ objects/],
  ['labs/testing-iac/README.md', /testing-iac: \d+ resources/],
] as const)('%s: a drifted number in "%s" is caught and put back', async (path, quoted) => {
  const original = await fresh(path);
  const edited = original.replace(quoted, (text) => text.replace(/\d+/, (n) => String(Number(n) + 1)));
  expect(edited).not.toBe(original);
  const stale = await staleQuotedNumbers((p) => (p === path ? edited : read(p)), facts);
  expect(stale.find((s) => s.path === path)?.fixed).toBe(original);
}, 30_000);

test('each rule names a file that exists and quotes at least one number it recomputes', async () => {
  for (const { path, rewrite } of QUOTED_NUMBERS) {
    const text = read(path);
    // Zeroing every number the rules look at must change the file: a rule that matches nothing is dead.
    const zeroed = text.replace(/\d+(?= (?:resources|to create|created|objects))/g, '0').replace(/\(\d+ and \d+\n/g, '(0 and 0\n');
    expect({ path, changes: (await rewrite(zeroed, facts)) !== zeroed }).toEqual({ path, changes: true });
  }
}, 30_000);
