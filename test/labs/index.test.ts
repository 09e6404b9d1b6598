/** labs/index.ts lists every lab once, and each lab is one folder: labs/<id>/ with its guide, entry, exercises and solutions. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { solutionPatch } from '../../labs/cli/fixtures';
import { readGuide } from '../../labs/cli/guide';
import { LAB_IDS, LABS } from '../../labs/index';

const LABS_DIR = join(REPO_ROOT, 'labs');
test('the folders under labs/ (but the lab command, cli/) are exactly the registered labs, each registered once', () => {
  const folders = readdirSync(LABS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'cli')
    .map((entry) => entry.name);
  expect([...LAB_IDS].sort()).toEqual(folders.sort());
  expect(new Set(LAB_IDS).size).toBe(LABS.length);
});

test.each(LABS.map((lab) => [lab.id, lab] as const))('labs/%s/ holds its guide, its entry, its exercises and a solution for each', (id, lab) => {
  for (const file of ['README.md', 'lab.ts', 'exercises.ts']) expect(existsSync(join(LABS_DIR, id, file))).toBe(true);
  for (const { number } of lab.exercises) expect(existsSync(join(REPO_ROOT, solutionPatch(id, number)))).toBe(true);
});

test.each(LABS.map((lab) => [lab.id] as const))('every exercise of %s says why it matters, with a link to the upstream docs', (id) => {
  const { text } = readGuide(id);
  const sections = text.split(/^### Exercise \d+: /m).slice(1).map((section) => section.split(/^#{2,3} /m)[0]);
  expect(sections.length).toBe(LABS.find((lab) => lab.id === id)!.exercises.length);
  for (const section of sections) expect(section).toMatch(/^Why: .+\]\(https:\/\/[^)\s]+\)/m);
});
