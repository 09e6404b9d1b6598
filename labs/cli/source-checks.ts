/**
 * What `npm test` asks of every file before Jest runs it, asked of one learner file: the kit's ESLint
 * rules and the TypeScript compiler with the kit's tsconfig.json. Jest (through swc) neither lints
 * nor type-checks, so an exercise check that only ran Jest would pass a file `npm test` then fails.
 */
import { dirname, join } from 'node:path';

/** At most this many problems of each kind are reported: the first ones say what to fix. */
const MAX_REPORTED = 3;


// The package exports no path to its command line: reach it from its package.json, which it exports.
const ESLINT_BIN = join(dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');

/**
 * ESLint's own command line, in a child process: it loads the kit's eslint.config.mjs as native ES
 * modules (which a Jest VM cannot), and each copy of the kit gets a parser of its own.
 */
/** The lint errors of `file` (relative to `root`), each as `<file>:<line>: <what>`. */
export async function lintProblems(root: string, file: string): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [ESLINT_BIN, '--format', 'json', file], { cwd: root, maxBuffer: 1 << 24 }, (error, out) =>
      // Exit code 1 means lint errors, reported in the JSON; anything else is ESLint failing.
      error && error.code !== 1 ? reject(error) : resolve(out),
    ),
  );
  const [result] = JSON.parse(stdout) as { messages: { severity: number; line?: number; message: string; ruleId: string | null }[] }[];
  return (result?.messages ?? [])
    .filter((m) => m.severity === 2)
    .slice(0, MAX_REPORTED)
    .map((m) => `${file}:${m.line}: ${m.message}${m.ruleId ? ` (${m.ruleId})` : ''}: npm test lints every file with these rules`);
}

/**
 * Declaration files of the packages, parsed once per process: copies of the kit share node_modules,
 * so checking a second copy reuses the first one's parse of aws-cdk-lib and friends.
 */
const packageSources = new Map<string, unknown>();

/** The type errors of `file` (relative to `root`), each as `<file>:<line>: <what>`. */
export async function typeProblems(root: string, file: string): Promise<string[]> {
  const ts = await import('typescript');
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => undefined,
  });
  if (parsed === undefined) return [];
  const host = ts.createCompilerHost(parsed.options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (!fileName.includes('/node_modules/')) return readSource(fileName, languageVersion, ...rest);
    const key = `${fileName}\u0000${JSON.stringify(languageVersion)}`;
    if (!packageSources.has(key)) packageSources.set(key, readSource(fileName, languageVersion, ...rest));
    return packageSources.get(key) as ReturnType<typeof readSource>;
  };
  // The learner's file and what it imports, not the whole kit: seconds instead of the full tsc run.
  const program = ts.createProgram({ rootNames: [join(root, file)], options: parsed.options, host });
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
