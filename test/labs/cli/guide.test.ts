import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/dist';
import { GUIDE_SECTIONS, guideBullets, guideCommands, parseGuide, readBlock, readGuide, replaceBlock } from '../../../labs/cli/guide';
import { LABS } from '../../../labs/index';

const sample = `# A lab

What you build, over
two lines.

## Objectives

- Learn one thing,
  well.
- Learn another.

## Steps

\`\`\`console
$ npm run synth
auto-pipe (dev): 40 resources
\`\`\`

\`\`\`sh
# a comment
pulumi config set gcp:project \\
  my-project
pulumi up
\`\`\`

## Exercises

### Exercise 1: Do it
`;

test('parses the title, summary, sections, objectives and exercises of a guide', () => {
  const guide = parseGuide('labs/x/README.md', sample);
  expect(guide.title).toBe('A lab');
  expect(guide.summary).toBe('What you build, over two lines.');
  expect([...guide.sections.keys()]).toEqual(['Objectives', 'Steps', 'Exercises']);
  expect(guideBullets(guide, 'Objectives')).toEqual(['Learn one thing, well.', 'Learn another.']);
  expect([...guide.exercises]).toEqual([[1, 'Do it']]);
});

test('commands: the $ lines of console blocks, every line of sh blocks with continuations joined', () => {
  expect(guideCommands(parseGuide('x', sample), 'Steps')).toEqual(['npm run synth', 'pulumi config set gcp:project my-project', 'pulumi up']);
});

test('generated blocks are replaced between their markers only, and missing markers are an error', () => {
  const text = 'before\n<!-- cost:begin -->\nold\n<!-- cost:end -->\nafter\n';
  const replaced = replaceBlock(text, 'cost', '| new |\n');
  expect(replaced).toBe('before\n<!-- cost:begin -->\n| new |\n<!-- cost:end -->\nafter\n');
  expect(readBlock(replaced, 'cost')).toBe('| new |\n');
  expect(() => replaceBlock(text, 'diagram', 'x')).toThrow('no <!-- diagram:begin --> ... <!-- diagram:end --> markers');
});

describe.each(LABS.map((lab) => [lab.id, lab] as const))('the %s guide', (id, lab) => {
  const guide = readGuide(id);

  test('has a title, a summary and every section in order, with the generated blocks in place', () => {
    expect(guide.title.length).toBeGreaterThan(10);
    expect(guide.summary.length).toBeGreaterThan(80);
    expect([...guide.sections.keys()].filter((s) => (GUIDE_SECTIONS as readonly string[]).includes(s))).toEqual([...GUIDE_SECTIONS]);
    expect(readBlock(guide.sections.get('Architecture')!, 'diagram')).toBeDefined();
    expect(readBlock(guide.sections.get('Cost')!, 'cost')).toBeDefined();
  });

  test('gives steps and teardown commands, and its code paths exist', () => {
    expect(guideCommands(guide, 'Steps').length).toBeGreaterThan(2);
    if (lab.source.kind !== 'kit') expect(guideCommands(guide, 'Teardown').length).toBeGreaterThan(0);
    for (const path of lab.code) expect(existsSync(join(REPO_ROOT, path))).toBe(true);
  });
});

test("the README's Labs section links every guide", () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  for (const lab of LABS) expect(readBlock(readme, 'labs')).toContain(`](labs/${lab.id}/README.md)`);
});
