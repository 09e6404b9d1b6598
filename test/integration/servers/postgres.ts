/**
 * A throwaway PostgreSQL for the integration tests: `initdb` into a scratch directory, then the
 * server in the foreground on a free loopback port (Unix socket in the same directory), with
 * password (SCRAM) authentication and, on request, TLS with a test CA. Debian's `postgresql`
 * package provides it; IAC_LAB_POSTGRES_BIN_DIR points at another installation's bin/ folder.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOOPBACK, ServerUnavailable, chownTree, firstExisting, freePort, makeCertificates, run, scratchDir, serviceUser, startProcess, versionDirs } from './process';

export interface PostgresOptions {
  /** Require TLS from every TCP client (hostssl only), as RDS with `rds.force_ssl` does. @default false */
  readonly tls?: boolean;
}

export interface RunningPostgres {
  readonly host: string;
  readonly port: number;
  /** The superuser the tests connect as, with a password (never trust authentication). */
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** The test CA's certificate (PEM) when started with `tls`. */
  readonly ca?: string;
  /** `postgresql://user:password@127.0.0.1:port/database`. */
  readonly url: string;
  /** Its scratch directory (data, config, certificates, log), deleted by `stop`. */
  readonly dir: string;
  stop(): Promise<void>;
}

const REMEDY = 'Install it with `apt-get install postgresql` (Debian/Ubuntu), or set IAC_LAB_POSTGRES_BIN_DIR to the bin/ folder holding initdb and postgres';

export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const bin = process.env.IAC_LAB_POSTGRES_BIN_DIR ?? firstExisting(versionDirs('/usr/lib/postgresql').map((dir) => join(dir, 'bin')));
  const initdb = bin && firstExisting([join(bin, 'initdb')]);
  if (!bin || !initdb) {
    throw new ServerUnavailable('postgres', 'no initdb found under /usr/lib/postgresql/<version>/bin', REMEDY);
  }
  const user = serviceUser('postgres');
  const dir = scratchDir('postgres', user);
  const data = join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  const asUser = user ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'] : [];
  chownTree(pwfile, user);
  try {
    const [cmd, ...args] = [...asUser, initdb, '-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync', '--encoding=UTF8', '--locale=C'];
    await run(cmd, args, { cwd: dir });
  } catch (err) {
    throw new ServerUnavailable('postgres', `initdb failed: ${String((err as { stderr?: string }).stderr ?? err).trim().split('\n').pop()}`, REMEDY);
  }
  const port = await freePort();
  const settings = ['-c', `listen_addresses=${LOOPBACK}`, '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'full_page_writes=off'];
  let ca: string | undefined;
  if (options.tls) {
    const certs = await makeCertificates(dir, user);
    ca = certs.ca;
    settings.push('-c', 'ssl=on', '-c', `ssl_cert_file=${certs.certFile}`, '-c', `ssl_key_file=${certs.keyFile}`);
    // TCP clients must use TLS (the socket, used only by the harness itself, stays local).
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
    chownTree(join(data, 'pg_hba.conf'), user);
  }
  const isReady = firstExisting([join(bin, 'pg_isready')]);
  const running = await startProcess({
    server: 'postgres',
    command: join(bin, 'postgres'),
    args: ['-D', data, '-p', String(port), ...settings],
    cwd: dir,
    user,
    stopSignal: 'SIGINT', // "fast" shutdown: roll back open transactions, then exit.
    timeoutMs: 30_000,
    remedy: REMEDY,
    ready: async () => {
      if (!isReady) return false;
      await run(isReady, ['-q', '-h', LOOPBACK, '-p', String(port)]);
      return true;
    },
  });
  return {
    host: LOOPBACK,
    port,
    user: 'postgres',
    password,
    database: 'postgres',
    ca,
    url: `postgresql://postgres:${encodeURIComponent(password)}@${LOOPBACK}:${port}/postgres`,
    dir: running.dir, stop: running.stop,
  };
}
