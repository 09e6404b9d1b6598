import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from './config';

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

/**
 * Writes `content` to `dist/<relPath>`, creating folders as needed. Written aside and renamed, so a
 * reader, or another synth writing the same file, never sees half of it.
 */
export function writeDist(relPath: string, content: string): WrittenFile {
  const file = join(DIST_DIR, relPath);
  writable(() => {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, content);
    renameSync(partial, file);
  }, dirname(file));
  return { path: displayPath(file), bytes: Buffer.byteLength(content) };
}

/** A fresh folder inside dist/ (the same file system, so it can be renamed into place), for a whole output. */
export function stagingDir(): string {
  return writable(() => {
    mkdirSync(DIST_DIR, { recursive: true });
    const dir = mkdtempSync(join(DIST_DIR, '.staging-'));
    // mkdtemp makes it private (0700); published, it is a folder like any other in dist/.
    chmodSync(dir, 0o777 & ~process.umask());
    return dir;
  }, DIST_DIR);
}

/**
 * Moves a complete output folder to `dist/<relPath>`, replacing what was there. Concurrent synths of
 * the same lab each publish a whole folder: the last one wins, and nobody sees a mix of two.
 */
export function publishDir(staged: string, relPath: string): string {
  const target = join(DIST_DIR, relPath);
  writable(() => mkdirSync(dirname(target), { recursive: true }), dirname(target));
  for (let attempt = 0; ; attempt++) {
    const previous = `${staged}.previous`;
    try {
      renameSync(target, previous);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    try {
      renameSync(staged, target);
      return target;
    } catch (err) {
      // Another synth published between our two renames: move its output aside too, and retry.
      if (!['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '') || attempt >= 20) throw err;
    } finally {
      rmSync(previous, { recursive: true, force: true });
    }
  }
}

/** Runs a write into dist/, turning a permission problem into one line naming the folder and the fix. */
function writable<T>(write: () => T, folder: string): T {
  try {
    return write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new UserError(
        `Cannot write to ${displayPath(folder)} (${code}). Fix: make it writable (chmod -R u+w ${displayPath(DIST_DIR)}), or write elsewhere: IAC_LAB_DIST_DIR=/tmp/iac-lab-dist npm run synth`,
      );
    }
    if (code === 'ENOTDIR' || code === 'EEXIST') {
      throw new UserError(
        `Cannot write to ${displayPath(folder)} (${code}): a file stands where a folder should be. Fix: move that file away, or write elsewhere: IAC_LAB_DIST_DIR=/tmp/iac-lab-dist npm run synth`,
      );
    }
    throw err;
  }
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
