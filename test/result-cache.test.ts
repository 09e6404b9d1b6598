/** The tests' stored results are reused only for exactly the same inputs, and each store stays small. */
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exerciseRunsKey } from './labs/exercise-runs-cache';
import { MAX_ENTRIES, ResultCache } from './result-cache';

const withEnv = <T>(name: string, value: string, run: () => T): T => {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
};

test('an exercise run\'s key follows the run asked for and the settings the tools read, and fresh results can be forced', () => {
  const key = exerciseRunsKey(['k8s-web-app', '--part', 'all', '1']);
  expect(key).toMatch(/^[0-9a-f]{64}$/);
  expect(exerciseRunsKey(['k8s-web-app', '--part', 'all', '1'])).toBe(key);
  expect(exerciseRunsKey(['k8s-web-app', '--part', 'all', '2'])).not.toBe(key);
  // A learner's K8S_* setting changes what the charts synthesize, and so the checks' verdicts.
  expect(withEnv('K8S_WEB_REPLICAS', '2', () => exerciseRunsKey(['k8s-web-app', '--part', 'all', '1']))).not.toBe(key);
  expect(withEnv('UNRELATED_VARIABLE', 'x', () => exerciseRunsKey(['k8s-web-app', '--part', 'all', '1']))).toBe(key);
  expect(withEnv('IAC_LAB_FRESH_RESULTS', '1', () => exerciseRunsKey(['k8s-web-app', '--part', 'all', '1']))).toBeUndefined();
});

test('a result is read back whole, an unknown key reads nothing, and only the newest entries are kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iac-lab-kit-results-'));
  const cache = new ResultCache(dir);
  try {
    expect(cache.read('a'.repeat(64))).toBeUndefined();
    cache.write('a'.repeat(64), '{"exercises":[]}');
    expect(cache.read('a'.repeat(64))).toBe('{"exercises":[]}');
    expect(cache.read(undefined)).toBeUndefined();
    for (let i = 0; i < MAX_ENTRIES + 5; i++) {
      const key = i.toString(16).padStart(64, '0');
      cache.write(key, '{}');
      // Older entries first: their modification times say so, whatever the file system's clock resolution.
      utimesSync(join(dir, `${key}.json`), 1_000_000 + i, 1_000_000 + i);
    }
    cache.write('f'.repeat(64), '{}');
    const kept = readdirSync(dir);
    expect(kept).toHaveLength(MAX_ENTRIES);
    expect(kept).toContain(`${'f'.repeat(64)}.json`);
    expect(kept).not.toContain(`${'0'.repeat(64)}.json`);
    expect(kept.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('through() computes once per key, and every time without one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iac-lab-kit-results-'));
  const cache = new ResultCache(dir);
  let calls = 0;
  const compute = () => ({ calls: ++calls });
  try {
    expect(cache.through('b'.repeat(64), compute)).toEqual({ calls: 1 });
    expect(cache.through('b'.repeat(64), compute)).toEqual({ calls: 1 });
    expect(cache.through(undefined, compute)).toEqual({ calls: 2 });
    expect(cache.through(undefined, compute)).toEqual({ calls: 3 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
