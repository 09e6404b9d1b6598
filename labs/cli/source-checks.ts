/**
 * What `npm test` asks of every file before Jest runs it, asked of one learner file: the kit's ESLint
 * rules and the TypeScript compiler with the kit's tsconfig.json. Jest (through swc) neither lints
 * nor type-checks, so an exercise check that only ran Jest would pass a file `npm test` then fails.
 */
import { join } from 'node:path';

/** At most this many problems of each kind are reported: the first ones say what to fix. */
const MAX_REPORTED = 3;

/** The lint errors of `file` (relative to `root`), or else its type errors, each as `<file>:<line>: <what>`. */
export async function sourceProblems(root: string, file: string): Promise<string[]> {
  // Lint first: it is quicker, and a file it refuses need not wait for the compiler.
  const lint = await lintProblems(root, file);
  return lint.length > 0 ? lint : typeProblems(root, file);
}

async function lintProblems(root: string, file: string): Promise<string[]> {
  const { ESLint } = await import('eslint');
  // tsconfigRootDir named: one process may lint several copies of the kit, and the parser refuses to guess.
  const eslint = new ESLint({ cwd: root, overrideConfig: { languageOptions: { parserOptions: { tsconfigRootDir: root } } } });
  const [result] = await eslint.lintFiles([join(root, file)]);
  return (result?.messages ?? [])
    .filter((m) => m.severity === 2)
    .slice(0, MAX_REPORTED)
    .map((m) => `${file}:${m.line}: ${m.message}${m.ruleId ? ` (${m.ruleId})` : ''}: npm test lints every file with these rules`);
}

async function typeProblems(root: string, file: string): Promise<string[]> {
  const ts = await import('typescript');
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => undefined,
  });
  if (parsed === undefined) return [];
  // The learner's file and what it imports, not the whole kit: seconds instead of the full tsc run.
  const program = ts.createProgram({ rootNames: [join(root, file)], options: parsed.options });
  const source = program.getSourceFile(join(root, file));
  return ts
    .getPreEmitDiagnostics(program, source)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .slice(0, MAX_REPORTED)
    .map((d) => {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : undefined;
      return `${file}${line === undefined ? '' : `:${line}`}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' ')}: npm test type-checks every file (tsc)`;
    });
}
