/** The exercise self-tests reuse a run only for exactly the same inputs, and the cache stays small. */
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exerciseRunsKey, MAX_ENTRIES, readExerciseRuns, writeExerciseRuns } from '../exercise-runs-cache';

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

test('the key follows the run asked for and the settings the tools read, and a fresh run can be forced', () => {
  const key = exerciseRunsKey(['k8s-web-app', '--part', 'all', '1']);
  expect(key).toMatch(/^[0-9a-f]{64}$/);
  expect(exerciseRunsKey(['k8s-web-app', '--part', 'all', '1'])).toBe(key);
  expect(exerciseRunsKey(['k8s-web-app', '--part', 'all', '2'])).not.toBe(key);
  // A learner's K8S_* setting changes what the charts synthesize, and so the checks' verdicts.
  expect(withEnv('K8S_WEB_REPLICAS', '2', () => exerciseRunsKey(['k8s-web-app', '--part', 'all', '1']))).not.toBe(key);
  expect(withEnv('UNRELATED_VARIABLE', 'x', () => exerciseRunsKey(['k8s-web-app', '--part', 'all', '1']))).toBe(key);
  expect(withEnv('IAC_LAB_FRESH_EXERCISE_RUNS', '1', () => exerciseRunsKey(['k8s-web-app', '--part', 'all', '1']))).toBeUndefined();
});

test('a run is read back whole, an unknown key reads nothing, and only the newest entries are kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iac-lab-kit-runs-'));
  try {
    expect(readExerciseRuns('a'.repeat(64), dir)).toBeUndefined();
    writeExerciseRuns('a'.repeat(64), '{"exercises":[]}', dir);
    expect(readExerciseRuns('a'.repeat(64), dir)).toBe('{"exercises":[]}');
    expect(readExerciseRuns(undefined, dir)).toBeUndefined();
    for (let i = 0; i < MAX_ENTRIES + 5; i++) {
      const key = i.toString(16).padStart(64, '0');
      writeExerciseRuns(key, '{}', dir);
      // Older entries first: their modification times say so, whatever the file system's clock resolution.
      utimesSync(join(dir, `${key}.json`), 1_000_000 + i, 1_000_000 + i);
    }
    writeExerciseRuns('f'.repeat(64), '{}', dir);
    const kept = readdirSync(dir);
    expect(kept).toHaveLength(MAX_ENTRIES);
    expect(kept).toContain(`${'f'.repeat(64)}.json`);
    expect(kept).not.toContain(`${'0'.repeat(64)}.json`);
    expect(kept.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
