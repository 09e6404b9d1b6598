/**
 * What every server the integration tests start has in common: a free loopback port, a scratch
 * directory of its own, a process started as the package's service user when we are root (postgres
 * refuses to run as root; the others should not either), readiness polled, and a one-line error when
 * it cannot start. Nothing here is specific to a server: see rabbitmq.ts, postgres.ts, redis.ts.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const LOOPBACK = '127.0.0.1';

/**
 * A server that could not be started: its message is the whole story (which server, why, how to get
 * it), so the test run fails with one line instead of a stack. A skipped test is not a pass.
 */
export class ServerUnavailable extends Error {
  constructor(server: string, reason: string, remedy: string) {
    super(`${server} could not start: ${reason}. ${remedy}`);
    this.name = 'ServerUnavailable';
    this.stack = this.message;
  }
}

/** A port the kernel just gave out on loopback, so parallel runs and other tools never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The first of `candidates` that exists, or undefined. */
export function firstExisting(candidates: readonly string[]): string | undefined {
  return candidates.find((path) => existsSync(path));
}

/** Directories under `parent` whose names are versions (e.g. /usr/lib/postgresql/15), newest first. */
export function versionDirs(parent: string): string[] {
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .filter((name) => /^\d+(\.\d+)*$/.test(name))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    .map((name) => join(parent, name));
}

interface ServiceUser {
  readonly uid: number;
  readonly gid: number;
}

/** The package's service user (e.g. `postgres`) when we run as root; ourselves otherwise. */
export function serviceUser(name: string): ServiceUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (line === undefined) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A scratch directory for one server, owned by the user it runs as; removed by {@link RunningProcess.stop}. */
export function scratchDir(server: string, user?: ServiceUser): string {
  const dir = mkdtempSync(join(tmpdir(), `iac-lab-kit-${server}-`));
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

/** Gives `user` the files (and folders) it must own inside a scratch directory. */
export function chownTree(path: string, user?: ServiceUser): void {
  if (!user) return;
  chownSync(path, user.uid, user.gid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
}

export interface StartOptions {
  /** Who this is, for messages: `rabbitmq`, `postgres`, `redis`. */
  readonly server: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly user?: ServiceUser;
  /** Resolves true once the server accepts clients. Polled every 100 ms. */
  readonly ready: () => Promise<boolean>;
  readonly timeoutMs: number;
  /** The signal that shuts the server down cleanly. @default 'SIGTERM' */
  readonly stopSignal?: NodeJS.Signals;
  /** How to get the server when it is missing or fails, appended to the error. */
  readonly remedy: string;
  /** Extra clean-up after the process has exited (e.g. a daemon it started). */
  readonly afterStop?: () => Promise<void>;
}

export interface RunningProcess {
  /** The server's scratch directory (data, config, log), deleted by `stop`. */
  readonly dir: string;
  /** Stops the server (its whole process group), then deletes its scratch directory. */
  stop(): Promise<void>;
}

/**
 * Starts a server in its own process group with its output in `<cwd>/server.log`, and waits until
 * `ready()` says it accepts clients. On failure the process is killed, and the error names the last
 * lines of its log.
 */
export async function startProcess(options: StartOptions): Promise<RunningProcess> {
  const logFile = join(options.cwd, 'server.log');
  const log = openSync(logFile, 'a');
  // By its path: the server's own environment may narrow PATH (the placeholder's holds only BusyBox).
  const command = options.user ? (firstExisting(['/usr/bin/setpriv', '/bin/setpriv']) ?? 'setpriv') : options.command;
  const args = options.user
    ? [`--reuid=${options.user.uid}`, `--regid=${options.user.gid}`, '--clear-groups', '--', options.command, ...options.args]
    : options.args;
  let child: ChildProcess;
  try {
    child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', log, log], detached: true });
  } finally {
    closeSync(log);
  }
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      exited = err.message;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exited = `it exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
  });

  const stop = async () => {
    if (exited === undefined && child.pid !== undefined) {
      killGroup(child.pid, options.stopSignal ?? 'SIGTERM');
      const killer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    }
    await options.afterStop?.();
    rmSync(options.cwd, { recursive: true, force: true });
  };

  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (exited !== undefined) break;
    if (await options.ready().catch(() => false)) return { dir: options.cwd, stop };
    if (Date.now() > deadline) {
      exited = `not ready after ${options.timeoutMs / 1000} s`;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reason = `${exited}${lastLines(logFile)}`;
  await stop();
  throw new ServerUnavailable(options.server, reason, options.remedy);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function lastLines(logFile: string): string {
  const text = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim() : '';
  if (text === '') return '';
  return ` (its log ends: ${text.split('\n').slice(-3).join(' | ').replace(/\s+/g, ' ').slice(0, 400)})`;
}

export const run = promisify(execFile);

/** A self-signed CA and a server certificate for 127.0.0.1 and localhost, made with the openssl CLI. */
export interface TestCertificates {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA certificate in PEM, what a client passes to trust the server. */
  readonly ca: string;
}

export async function makeCertificates(dir: string, user?: ServiceUser): Promise<TestCertificates> {
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  writeFileSync(path('server.ext'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\n');
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=iac-lab-kit test CA', '-keyout', path('ca.key'), '-out', path('ca.crt'));
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', path('server.key'), '-out', path('server.csr'));
  await openssl('x509', '-req', '-in', path('server.csr'), '-CA', path('ca.crt'), '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', path('server.ext'), '-out', path('server.crt'));
  // Servers refuse a private key others can read (postgres insists on 0600 and its own user).
  chmodSync(path('server.key'), 0o600);
  for (const file of ['server.key', 'server.crt', 'ca.crt']) chownTree(path(file), user);
  return { caFile: path('ca.crt'), certFile: path('server.crt'), keyFile: path('server.key'), ca: readFileSync(path('ca.crt'), 'utf8') };
}
