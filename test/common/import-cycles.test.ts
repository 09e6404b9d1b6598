/**
 * No import cycles in the kit's TypeScript. Checked over the import graph the TypeScript compiler's
 * own pre-processor reads (`ts.preProcessFile`: static imports and re-exports, `import type`,
 * dynamic `import()` and `require()`), with strongly connected components (Tarjan): no new
 * dependency, and type-only imports count too, since a cycle of types is still two modules that
 * cannot be understood, moved or deleted apart.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../common/dist';

type Graph = ReadonlyMap<string, readonly string[]>;

/** Each file's relative imports, resolved to files of `files` (paths relative to the repository). */
function importGraph(files: ReadonlyMap<string, string>): Graph {
  const resolve = (from: string, specifier: string): string | undefined => {
    const base = join(dirname(from), specifier);
    return [base, `${base}.ts`, `${base}.json`, join(base, 'index.ts')].find((candidate) => files.has(candidate));
  };
  return new Map(
    [...files].map(([file, source]) => [
      file,
      ts
        .preProcessFile(source, true, true)
        .importedFiles.filter((i) => i.fileName.startsWith('.'))
        .map((i) => resolve(file, i.fileName))
        .filter((target): target is string => target !== undefined),
    ]),
  );
}

/** The groups of files that import each other, directly or in a ring, each sorted (Tarjan's algorithm). */
function importCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (stack.includes(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do component.push((member = stack.pop()!));
    while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

test('the checker finds a cycle through a type-only import, a re-export or a dynamic import', () => {
  const files = new Map([
    ['labs/index.ts', "import { lab } from './a/lab';\nexport const LABS = [lab];"],
    ['labs/a/lab.ts', "import type { Lab } from '../cli/lab';\nexport * from './exercises';"],
    ['labs/a/exercises.ts', "export async function check() { return (await import('../index')).LABS; }"],
    ['labs/cli/lab.ts', 'export interface Lab { id: string }'],
    ['labs/cli/self.ts', "import './self';"],
  ]);
  expect(importCycles(importGraph(files))).toEqual([['labs/a/exercises.ts', 'labs/a/lab.ts', 'labs/index.ts'], ['labs/cli/self.ts']]);
});

test("the kit's TypeScript has no import cycles", () => {
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', '*.ts'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && !file.includes('node_modules/') && existsSync(join(REPO_ROOT, file)));
  const files = new Map(tracked.map((file) => [file, readFileSync(join(REPO_ROOT, file), 'utf8')]));
  expect([...files.keys()]).toEqual(expect.arrayContaining(['aws/app.ts', 'gcp/index.ts', 'k8s/app.ts', 'labs/index.ts', 'test/labs/exercise-harness.ts']));
  expect(importCycles(importGraph(files))).toEqual([]);
});
