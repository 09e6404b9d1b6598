import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The repository root, so commands work from any working directory. */
export const REPO_ROOT = resolve(__dirname, '..');

/**
 * Where every offline artefact goes: CDK templates, Pulumi plans, Kubernetes YAML, diagrams.
 * IAC_LAB_DIST_DIR moves it (the tests point it at a scratch folder, so they never touch dist/).
 */
export const DIST_DIR = process.env.IAC_LAB_DIST_DIR ?? join(REPO_ROOT, 'dist');

export interface WrittenFile {
  /** Path relative to the repository root, e.g. `dist/k8s/web-app-dev.k8s.yaml`. */
  readonly path: string;
  readonly bytes: number;
}

/** Writes `content` to `dist/<relPath>`, creating folders as needed. */
export function writeDist(relPath: string, content: string): WrittenFile {
  const file = join(DIST_DIR, relPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return { path: displayPath(file), bytes: Buffer.byteLength(content) };
}

/** Relative to the repository when inside it (`dist/...`), absolute when IAC_LAB_DIST_DIR points elsewhere. */
export function displayPath(file: string): string {
  const inRepo = relative(REPO_ROOT, file);
  return inRepo.startsWith('..') ? file : inRepo;
}

/** One aligned line per file, for the short summary every synth command prints. */
export function formatWritten(files: readonly WrittenFile[]): string {
  const width = Math.max(0, ...files.map((f) => f.path.length));
  return files.map((f) => `  ${f.path.padEnd(width)}  ${formatBytes(f.bytes)}`).join('\n');
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}
