import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';

/** Guide folder, and the lab's row in the README's GCP cost table. */
const GUIDES = [
  ['gke', '`gke`'],
  ['cloudsql', '`cloudsql`'],
  ['gcp-platform', '`platform`'],
];
const SECTIONS = ['Objectives', 'Architecture', 'Cost', 'Prerequisites', 'Steps', 'Verify', 'Teardown', 'Exercises'];

const read = (lab: string) => readFileSync(join(REPO_ROOT, 'labs', lab, 'README.md'), 'utf8');
const dollars = (cell: string) => Number(cell.replace(/[*$]/g, ''));

describe.each(GUIDES)('labs/%s/README.md', (lab, readmeRow) => {
  const text = read(lab);

  test('has the title, the eight sections in order, the diagram markers and at least three exercises', () => {
    expect(text).toMatch(/^# \S.*\n\n\S/);
    expect([...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(SECTIONS);
    expect(text).toContain('<!-- diagram:begin -->\n<!-- diagram:end -->');
    const exercises = [...text.matchAll(/^### Exercise (\d+): \S.*$/gm)].map((m) => Number(m[1]));
    expect(exercises.length).toBeGreaterThanOrEqual(3);
    expect(exercises).toEqual(exercises.map((_, i) => i + 1));
  });

  test('its cost table adds up: items to the total, per hour and per month (730 h)', () => {
    const table = /<!-- cost:begin -->\n([\s\S]*?)<!-- cost:end -->/.exec(text)?.[1] ?? '';
    const rows = table
      .trim()
      .split('\n')
      .slice(2)
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const items = rows.filter((r) => !r[1].includes('total'));
    const total = rows.find((r) => r[1].includes('total')) as string[];
    const sum = (column: number) => items.reduce((acc, r) => acc + dollars(r[column]), 0);
    expect(sum(3)).toBeCloseTo(dollars(total[3]), 4);
    expect(sum(4)).toBeCloseTo(dollars(total[4]), 2);
    for (const r of items) expect(dollars(r[4])).toBeCloseTo(dollars(r[3]) * 730, 0);
    expect(text).toContain(`$${dollars(total[4]).toFixed(2)} a month`);
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`| ${readmeRow} | $${dollars(total[3]).toFixed(3)} | $${dollars(total[4]).toFixed(2)} |`);
  });
});
