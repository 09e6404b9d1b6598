/**
 * How every app runs: read and validate its environment (a bad variable is one line on stderr and
 * exit code 2), start, and on SIGTERM stop taking work, finish or hand back what is in flight, close
 * connections and exit 0 within {@link SHUTDOWN_DEADLINE_MS} (the chart's grace period is 30 s).
 */
import { ConfigError, describeEnv, type EnvSpec, type EnvVarDescription, type FileReader } from './env';
import { createLogger, errorText, type Logger, type LogLevel } from './log';

/** A started app: `stop` ends it gracefully. */
export interface RunningApp {
  stop(): Promise<void>;
}

export interface AppDefinition<C extends { readonly logLevel: LogLevel }> {
  /** The image and workload name, e.g. `order-frontend`. */
  readonly name: string;
  readonly description: AppDescription;
  /** Reads and validates the environment; `files` reads Secret files (the disk unless a test passes its own). */
  readConfig(env: NodeJS.ProcessEnv, files?: FileReader): C;
  start(config: C, log: Logger): Promise<RunningApp>;
}

/** Past this, shutdown gives up and exits 1, well inside the pod's 30 s grace period. */
export const SHUTDOWN_DEADLINE_MS = 20_000;

/** What the shutdown handler needs of `process`; tests pass their own. */
export interface ProcessLike {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code: number): void;
}

/**
 * Stops `app` on the first SIGTERM or SIGINT and exits 0 when it has stopped, 1 when stopping failed
 * or took longer than `deadlineMs`.
 */
export function stopOnSignal(app: RunningApp, log: Logger, proc: ProcessLike = process, deadlineMs = SHUTDOWN_DEADLINE_MS): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      log.error('shutdown did not finish in time; exiting', { deadlineMs });
      proc.exit(1);
    }, deadlineMs);
    deadline.unref();
    app.stop().then(
      () => {
        clearTimeout(deadline);
        log.info('stopped');
        proc.exit(0);
      },
      (err: unknown) => {
        clearTimeout(deadline);
        log.error('shutdown failed', { error: err });
        proc.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) proc.once(signal, () => shutdown(signal));
}

/** The entry point of every app's main.ts. */
export async function runApp<C extends { readonly logLevel: LogLevel }>(app: AppDefinition<C>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: C;
  try {
    config = app.readConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${app.name}: ${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const starting = app.start(config, log);
  // Listening for SIGTERM from the start: a pod deleted while it starts still stops gracefully.
  stopOnSignal({ stop: async () => (await starting).stop() }, log);
  try {
    await starting;
  } catch (err) {
    log.error('could not start', { error: errorText(err) });
    process.exit(1);
  }
}

/** How an app listens, and what the chart's probes may call there. */
export type Listener =
  | { readonly variable: string; readonly protocol: 'http'; readonly liveness: string; readonly readiness: string }
  | { readonly variable: string; readonly protocol: 'grpc'; readonly healthServices: readonly string[] };

/**
 * What an app needs from its pod, as data: the test that holds the chart to the apps compares the
 * YAML with this (every variable, port, probe, Secret key and mount the chart gives is one the app
 * uses, and every variable the app requires is given).
 */
export interface AppDescription {
  readonly env: readonly EnvVarDescription[];
  readonly listeners: readonly Listener[];
  /** The only paths the app may write (the root filesystem is read-only). */
  readonly writablePaths: readonly string[];
}

/** The one writable path of every app (an emptyDir in the chart); Node writes nothing there by default. */
export const WRITABLE_PATHS = ['/tmp'] as const;

/** An app's description from its variables and listeners. */
export function describeApp(spec: EnvSpec, listeners: readonly Listener[]): AppDescription {
  return { env: describeEnv(spec), listeners, writablePaths: WRITABLE_PATHS };
}
