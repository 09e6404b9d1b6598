/**
 * Runs Jest as a child process and reads its JSON report: `lab check` runs a lab's tests this way,
 * and the testing-iac exercises run the learner's test file in the kit and in a mutant.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../common/dist';

export interface FileResult {
  readonly file: string;
  readonly pass: boolean;
  readonly tests: number;
  readonly failures: string[];
}

export interface JestOptions {
  /**
   * Run these exact test files, in one process, from these test folders (e.g. the same test in
   * the kit and in a changed copy of it): one Jest start instead of one per folder.
   */
  readonly files?: { readonly roots: readonly string[] };
  /** Jest's --ci: a missing snapshot fails instead of being written into the tree. @default false */
  readonly ci?: boolean;
}

/**
 * Runs Jest on the given path patterns (or exact files) in a child process, with the kit's
 * configuration at `root`, and returns a result per test file (paths relative to `root`).
 */
export async function runJest(patterns: readonly string[], root = REPO_ROOT, options: JestOptions = {}): Promise<FileResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'iac-lab-jest-'));
  const outputFile = join(dir, 'results.json');
  try {
    const stderr = await new Promise<string>((resolve, reject) => {
      // --roots takes every argument after it: it comes last.
      const exact = options.files ? ['--runInBand', '--runTestsByPath', '--roots', ...options.files.roots] : [];
      const ci = options.ci ? ['--ci'] : [];
      const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...patterns, '--json', `--outputFile=${outputFile}`, ...ci, ...exact], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('error', reject);
      child.on('close', () => resolve(err));
    });
    let report: { testResults: { name: string; status: string; message: string; assertionResults: { status: string; fullName: string }[] }[] };
    try {
      report = JSON.parse(readFileSync(outputFile, 'utf8'));
    } catch {
      throw new Error(`Jest did not report: ${stderr.trim().split('\n').slice(-5).join(' ')}`);
    }
    return report.testResults
      .map((r) => ({
        file: relative(root, r.name),
        pass: r.status === 'passed',
        tests: r.assertionResults.length,
        failures: r.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName).concat(r.assertionResults.length === 0 && r.status !== 'passed' ? [r.message.split('\n')[0]] : []),
      }))
      .sort((a, b) => a.file.localeCompare(b.file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
