/**
 * Running the order-processing apps against the harness's real RabbitMQ: the app user the chart
 * creates (contract: configure and read `^orders$`, write `^amq\.default$` in vhost order-processing),
 * its credentials as the Secret files the pod mounts, and each app started as its image starts it
 * (its main.ts, configured by environment variables only), with its JSON log lines collected.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningRabbitMq } from '../servers/rabbitmq';

const ROOT = join(__dirname, '..', '..', '..');
export const VHOST = 'order-processing';
export const QUEUE = 'orders';
export const APP_PERMISSIONS = { configure: '^orders$', write: '^amq\\.default$', read: '^orders$' };

export interface AppUser {
  /** The RABBITMQ_* variables the chart gives the front end and the RabbitMQ consumer. */
  readonly env: Record<string, string>;
  /** amqp:// URL of the same user, for the tests' own publishing and inspection. */
  readonly url: string;
  remove(): void;
}

/** Creates the app user and writes its credentials where RABBITMQ_USERNAME_FILE / RABBITMQ_PASSWORD_FILE point. */
export async function appUser(broker: RunningRabbitMq): Promise<AppUser> {
  const user = await broker.addUser(VHOST, APP_PERMISSIONS);
  const dir = mkdtempSync(join(tmpdir(), 'iac-lab-kit-rabbitmq-secret-'));
  // What kubectl create secret --from-literal gives, mounted as files (no trailing newline).
  writeFileSync(join(dir, 'username'), user.username, { mode: 0o600 });
  writeFileSync(join(dir, 'password'), user.password, { mode: 0o600 });
  return {
    env: {
      RABBITMQ_HOST: broker.host,
      RABBITMQ_PORT: String(broker.port),
      RABBITMQ_VHOST: VHOST,
      RABBITMQ_QUEUE: QUEUE,
      RABBITMQ_USERNAME_FILE: join(dir, 'username'),
      RABBITMQ_PASSWORD_FILE: join(dir, 'password'),
    },
    url: user.url,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type LogLine = Record<string, unknown> & { level: string; msg: string };

export interface AppProcess {
  readonly child: ChildProcess;
  /** Every stdout line so far, parsed (a line that is not one JSON object fails the test). */
  lines(): LogLine[];
  stderr(): string;
  /** Resolves the first line matching `match` (already written or to come); rejects after `timeoutMs`. */
  waitForLine(match: Partial<LogLine>, timeoutMs?: number): Promise<LogLine>;
  /** Resolves the exit code (or signal name). */
  readonly exited: Promise<number | string>;
}

/** Starts `labs/order-processing/services/<app>/src/main.ts` with exactly `env` (plus PATH). */
export function startApp(app: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--require', join(ROOT, 'common/register.js'), join(ROOT, 'labs/order-processing/services', app, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const lines = () =>
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as LogLine;
        } catch {
          throw new Error(`${app} wrote a line that is not JSON: ${line}`);
        }
      });
  const matches = (line: LogLine, match: Partial<LogLine>) => Object.entries(match).every(([key, value]) => line[key] === value);
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine: (match, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = lines().find((line) => matches(line, match));
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${app} did not log ${JSON.stringify(match)} within ${timeoutMs / 1000} s; it logged:\n${stdout}${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Polls `condition` every 100 ms until it holds; rejects with `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
