/**
 * What the kit tests and how: the testing-iac lab's "infrastructure" is the test suite itself.
 * Read from the test files, so the lab's diagram follows the suite as it grows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import type { LabResource } from './resources';

/** The techniques the testing-iac lab teaches, and how a test file shows it uses one. */
export const TECHNIQUES = {
  snapshot: /toMatchSnapshot|toMatchInlineSnapshot/,
  assertion: /Template\.fromStack|hasResourceProperties|resourceCountIs|expect\(/,
  policy: /runPolicies|checkManifests|AwsSolutionsChecks|Validations\.of/,
  mocks: /planLab|runLabOffline|setMocks/,
  process: /spawnSync|execFile|spawn\(/,
} as const;
export type Technique = keyof typeof TECHNIQUES;

export interface TestFileSummary {
  readonly file: string;
  /** The kit folders the file imports: aws, gcp, k8s, labs, common, bench. */
  readonly subjects: readonly string[];
  readonly techniques: readonly Technique[];
  readonly tests: number;
}

export function testInventory(): { files: TestFileSummary[]; resources: LabResource[] } {
  // test/exercises/ is the learner's (the testing-iac exercises): the kit's suite is everything else.
  const files = listTestFiles(join(REPO_ROOT, 'test'))
    .filter((file) => !relative(REPO_ROOT, file).startsWith('test/exercises/'))
    .map((file) => summarizeTestFile(REPO_ROOT, file));
  const subjects = [...new Set(files.flatMap((f) => f.subjects))].sort();
  const resources: LabResource[] = [
    ...subjects.map((subject) => ({ id: `module/${subject}`, type: 'kit/Module', name: subject, group: 'kit', props: {}, uses: [] })),
    ...files.map((f) => ({
      id: f.file,
      type: 'kit/TestFile',
      name: f.file,
      group: f.file.split('/').slice(0, 2).join('/'),
      props: { techniques: f.techniques, tests: f.tests },
      uses: f.subjects.map((subject) => `module/${subject}`),
    })),
  ];
  return { files, resources };
}

/** Top-level kit folders a file imports, through the test helpers it imports too (all collected in `seen`). */
function importedFolders(root: string, file: string, seen: Set<string>): Set<string> {
  const folders = new Set<string>();
  if (seen.has(file)) return folders;
  seen.add(file);
  // Import statements only (at the start of a line): not the same words inside a string of a test.
  for (const match of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\sfrom '(\.\.?\/[^']+)'/gm)) {
    const target = resolve(dirname(file), match[1]);
    const folder = relative(root, target).split('/')[0];
    if (folder !== 'test') folders.add(folder);
    else if (existsSync(`${target}.ts`)) for (const inner of importedFolders(root, `${target}.ts`, seen)) folders.add(inner);
  }
  return folders;
}

function listTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listTestFiles(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [join(dir, entry.name)] : []))
    .sort();
}

/** What one test file (absolute path) imports from the kit and which techniques it uses. */
export function summarizeTestFile(root: string, file: string): TestFileSummary {
  const helpers = new Set<string>();
  const subjects = importedFolders(root, file, helpers);
  // A technique counts when the file or a test helper it imports uses it.
  const sources = [...helpers].map((f) => readFileSync(f, 'utf8'));
  return {
    file: relative(root, file),
    subjects: [...subjects].sort(),
    techniques: (Object.keys(TECHNIQUES) as Technique[]).filter((t) => sources.some((source) => TECHNIQUES[t].test(source))),
    tests: [...sources[0].matchAll(/^\s*(?:test|it)(?:\.each\([^)]*\))?\(/gm)].length,
  };
}
