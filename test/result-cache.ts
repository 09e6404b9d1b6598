/**
 * Results the tests keep between `npm test` runs, under node_modules/.cache/iac-lab-kit/<name>/: each
 * under a key that hashes every input of the work that produced it, so the same inputs give the stored
 * result and any change does the work again. The tests judge a stored result exactly as a fresh one.
 * A fresh clone (the kit's CI) has none; `IAC_LAB_FRESH_RESULTS=1` ignores them all.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../common/dist';

export const RESULT_CACHE_ROOT = join(REPO_ROOT, 'node_modules/.cache/iac-lab-kit');
/** A few results per test and input; older ones are removed. */
export const MAX_ENTRIES = 64;

/** The key of a result made from `inputs` (file contents, names, settings); undefined when fresh results are asked for. */
export function resultKey(kind: string, inputs: Iterable<string | Uint8Array>): string | undefined {
  if (process.env.IAC_LAB_FRESH_RESULTS === '1') return undefined;
  const hash = createHash('sha256').update(`${kind}\0${process.version} ${process.platform} ${process.arch}\0`);
  for (const input of inputs) hash.update(input).update('\0');
  return hash.digest('hex');
}

/** The installed version and integrity of `name`, as package-lock.json pins it. */
export function lockedPackage(name: string): string {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string }> };
  const entry = lock.packages[`node_modules/${name}`];
  return `${name}@${entry?.version} ${entry?.integrity}`;
}

export class ResultCache {
  constructor(readonly dir: string) {}

  read(key: string | undefined): string | undefined {
    if (key === undefined) return undefined;
    const path = join(this.dir, `${key}.json`);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  }

  /** Keeps a result (written whole, then renamed: a parallel reader never sees half of it). */
  write(key: string | undefined, text: string): void {
    if (key === undefined) return;
    mkdirSync(this.dir, { recursive: true });
    const temporary = join(this.dir, `${key}.${process.pid}.tmp`);
    writeFileSync(temporary, text);
    renameSync(temporary, join(this.dir, `${key}.json`));
    const entries = readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => ({ path: join(this.dir, name), time: statSync(join(this.dir, name)).mtimeMs }))
      .sort((a, b) => b.time - a.time || b.path.localeCompare(a.path));
    for (const stale of entries.slice(MAX_ENTRIES)) rmSync(stale.path, { force: true });
  }

  /** `compute()`'s result for `key`, stored on the first call; computed every time when `key` is undefined. */
  through<T>(key: string | undefined, compute: () => T): T {
    const stored = this.read(key);
    if (stored !== undefined) return JSON.parse(stored) as T;
    const result = compute();
    this.write(key, JSON.stringify(result));
    return result;
  }
}
