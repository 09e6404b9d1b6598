import { spawnSync, type SpawnSyncOptions } from 'node:child_process';

/** A command line the benchmark times as a whole process, the way a user runs it. */
export interface TimedCommand {
  readonly id: string;
  readonly label: string;
  readonly command: string;
  /** Runs once before timing (e.g. a `cdk synth` the replay floor reads back). */
  readonly setup?: string;
  readonly env?: Record<string, string>;
}

export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error('stats() needs at least one sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], samples: [...samples] };
}

/** Wall time of one shell command in milliseconds; a failing command aborts the benchmark. */
export function timeCommand(command: string, options: SpawnSyncOptions = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, { shell: true, stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`benchmark command failed (exit ${result.status}): ${command}\n${String(result.stderr ?? '')}`);
  }
  return ms;
}

/**
 * Times the commands in turn, round after round, so that whatever the machine is
 * doing affects each of them alike and the ratios between them stay meaningful.
 */
export function alternate(
  commands: readonly TimedCommand[],
  rounds: number,
  warmup: number,
  run: (c: TimedCommand) => number,
): Map<string, Stats> {
  const samples = new Map<string, number[]>(commands.map((c) => [c.id, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (const c of commands) {
      const ms = run(c);
      if (round >= warmup) samples.get(c.id)!.push(ms);
    }
  }
  return new Map([...samples].map(([id, s]) => [id, stats(s)]));
}
