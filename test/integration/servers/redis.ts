/**
 * A throwaway Redis for the integration tests, as ElastiCache runs it for the kit: a password
 * (AUTH), no persistence, and on request TLS only (no plain port), with a test CA. Debian's
 * `redis-server` package provides it; IAC_LAB_REDIS_SERVER points at another redis-server (or
 * valkey-server) binary.
 */
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { LOOPBACK, ServerUnavailable, firstExisting, freePort, makeCertificates, scratchDir, serviceUser, startProcess } from './process';

export interface RedisOptions {
  /** Serve TLS only, as ElastiCache with in-transit encryption does. @default false */
  readonly tls?: boolean;
}

export interface RunningRedis {
  readonly host: string;
  readonly port: number;
  /** The `default` user's password (AUTH <password>). */
  readonly password: string;
  readonly tls: boolean;
  /** The test CA's certificate (PEM) when started with `tls`. */
  readonly ca?: string;
  /** `redis://` or `rediss://` URL with the password. */
  readonly url: string;
  /** Its scratch directory (data, config, certificates, log), deleted by `stop`. */
  readonly dir: string;
  stop(): Promise<void>;
}

const REMEDY = 'Install it with `apt-get install redis-server` (Debian/Ubuntu), or set IAC_LAB_REDIS_SERVER to a redis-server binary built with TLS';

export async function startRedis(options: RedisOptions = {}): Promise<RunningRedis> {
  const binary = process.env.IAC_LAB_REDIS_SERVER ?? firstExisting(['/usr/bin/redis-server', '/usr/local/bin/redis-server']);
  if (!binary) throw new ServerUnavailable('redis', 'no redis-server binary found', REMEDY);
  const user = serviceUser('redis');
  const dir = scratchDir('redis', user);
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const tls = options.tls ?? false;
  const args = ['--bind', LOOPBACK, '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', password];
  let ca: string | undefined;
  if (tls) {
    const certs = await makeCertificates(dir, user);
    ca = certs.ca;
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', certs.certFile, '--tls-key-file', certs.keyFile, '--tls-ca-cert-file', certs.caFile, '--tls-auth-clients', 'no');
  } else {
    args.push('--port', String(port));
  }
  const running = await startProcess({
    server: 'redis',
    command: binary,
    args,
    cwd: dir,
    user,
    timeoutMs: 15_000,
    remedy: REMEDY,
    ready: () => ping(port, password, ca),
  });
  const scheme = tls ? 'rediss' : 'redis';
  return { host: LOOPBACK, port, password, tls, ca, url: `${scheme}://:${encodeURIComponent(password)}@${LOOPBACK}:${port}`, dir: running.dir, stop: running.stop };
}

/** AUTH then PING over the raw protocol: true when the server answers +PONG. */
function ping(port: number, password: string, ca?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = ca ? tlsConnect({ host: LOOPBACK, port, ca, servername: 'localhost' }) : tcpConnect({ host: LOOPBACK, port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.once(ca ? 'secureConnect' : 'connect', () => socket.write(`AUTH ${password}\r\nPING\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('+PONG')) {
        socket.end();
        resolve(true);
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}
