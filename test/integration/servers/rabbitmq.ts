/**
 * A throwaway RabbitMQ broker for the integration tests: its own node name, ports (AMQP,
 * distribution, EPMD), database, logs and cookie in a scratch directory, no plugins, listening on
 * loopback only. Debian's `rabbitmq-server` package provides it (its wrapper script is bypassed:
 * the server runs in the foreground as the `rabbitmq` user when we are root);
 * IAC_LAB_RABBITMQ_BIN_DIR points at another installation's sbin/ folder.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { LOOPBACK, ServerUnavailable, chownTree, firstExisting, freePort, run, scratchDir, serviceUser, startProcess } from './process';

export interface RunningRabbitMq {
  readonly host: string;
  readonly port: number;
  /** An administrator (all permissions on vhost `/`), for the tests' own setup and inspection. */
  readonly adminUrl: string;
  /** Runs rabbitmqctl against this broker, e.g. `['add_vhost', 'order-processing']`; resolves its stdout. */
  rabbitmqctl(args: readonly string[]): Promise<string>;
  /**
   * Creates `vhost` and a user with `configure`/`write`/`read` permission patterns on it only (the
   * way the chart's app user is set up), and returns its amqp:// URL.
   */
  addUser(vhost: string, permissions: { configure: string; write: string; read: string }): Promise<{ username: string; password: string; url: string }>;
  /** Its scratch directory (data, config, certificates, log), deleted by `stop`. */
  readonly dir: string;
  stop(): Promise<void>;
}

const REMEDY = 'Install it with `apt-get install rabbitmq-server` (Debian/Ubuntu), or set IAC_LAB_RABBITMQ_BIN_DIR to the folder holding rabbitmq-server and rabbitmqctl';

export interface RabbitMqOptions {
  /**
   * Definitions (JSON) the broker imports at boot from a file, configured as the chart's brokers are
   * (`definitions.import_backend = local_filesystem`). RabbitMQ then seeds no default user, so
   * `adminUrl` and `addUser` are unusable; `rabbitmqctl` still works (it authenticates by cookie).
   */
  readonly definitions?: string;
}

export async function startRabbitMq(options: RabbitMqOptions = {}): Promise<RunningRabbitMq> {
  const bin = process.env.IAC_LAB_RABBITMQ_BIN_DIR ?? firstExisting(['/usr/lib/rabbitmq/bin', '/usr/local/sbin', '/opt/homebrew/sbin']);
  const server = bin && firstExisting([join(bin, 'rabbitmq-server')]);
  if (!bin || !server) throw new ServerUnavailable('rabbitmq', 'no rabbitmq-server found in /usr/lib/rabbitmq/bin', REMEDY);
  const user = serviceUser('rabbitmq');
  const dir = scratchDir('rabbitmq', user);
  const [amqpPort, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const nodename = `rabbit-${randomBytes(4).toString('hex')}@localhost`;
  const adminPassword = randomBytes(18).toString('base64url');
  const config = join(dir, 'rabbitmq.conf');
  writeFileSync(
    config,
    [
      `listeners.tcp.1 = ${LOOPBACK}:${amqpPort}`,
      'loopback_users = none',
      'default_user = kit-admin',
      `default_pass = ${adminPassword}`,
      'log.console = true',
      'log.file = false',
      ...(options.definitions === undefined ? [] : ['definitions.import_backend = local_filesystem', `definitions.local.path = ${join(dir, 'definitions.json')}`]),
      '',
    ].join('\n'),
  );
  if (options.definitions !== undefined) writeFileSync(join(dir, 'definitions.json'), options.definitions, { mode: 0o600 });
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, '.erlang.cookie'), randomBytes(20).toString('hex'), { mode: 0o400 });
  chownTree(dir, user);
  const env: NodeJS.ProcessEnv = {
    HOME: dir,
    RABBITMQ_NODENAME: nodename,
    RABBITMQ_NODE_IP_ADDRESS: LOOPBACK,
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: LOOPBACK,
    RABBITMQ_CONFIG_FILE: config,
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_MNESIA_DIR: join(dir, 'mnesia', 'node'),
    RABBITMQ_FEATURE_FLAGS_FILE: join(dir, 'feature_flags'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_LOGS: '-',
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'plugins-expand'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
  };
  const ctl = firstExisting([join(bin, 'rabbitmqctl')]) ?? 'rabbitmqctl';
  const asUser = user ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'] : [];
  const rabbitmqctl = async (args: readonly string[]) => {
    const [cmd, ...rest] = [...asUser, ctl, '-n', nodename, ...args];
    const { stdout } = await run(cmd, rest, { env: { ...process.env, ...env }, cwd: dir });
    return stdout;
  };
  const running = await startProcess({
    server: 'rabbitmq',
    command: server,
    args: [],
    env,
    cwd: dir,
    user,
    timeoutMs: 60_000,
    remedy: REMEDY,
    ready: () => speaksAmqp(amqpPort),
    // The Erlang VM starts an EPMD daemon of its own on ERL_EPMD_PORT, outside the process group.
    afterStop: async () => {
      await run('epmd', ['-port', String(epmdPort), '-kill'], { env: { ...process.env, ERL_EPMD_PORT: String(epmdPort) } }).catch(() => undefined);
    },
  });
  // The broker answers AMQP before it has finished booting its default user and vhost.
  await rabbitmqctl(['await_startup']).catch(async (err) => {
    await running.stop();
    throw new ServerUnavailable('rabbitmq', `rabbitmqctl await_startup failed: ${String(err.stderr ?? err).trim().split('\n').pop()}`, REMEDY);
  });
  const amqpUrl = (username: string, password: string, vhost: string) =>
    `amqp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${LOOPBACK}:${amqpPort}/${encodeURIComponent(vhost)}`;
  return {
    host: LOOPBACK,
    port: amqpPort,
    adminUrl: amqpUrl('kit-admin', adminPassword, '/'),
    rabbitmqctl,
    async addUser(vhost, permissions) {
      const username = `app-${randomBytes(3).toString('hex')}`;
      const password = randomBytes(18).toString('base64url');
      await rabbitmqctl(['add_vhost', vhost]).catch(() => undefined); // already there: fine
      await rabbitmqctl(['add_user', username, password]);
      await rabbitmqctl(['set_permissions', '-p', vhost, username, permissions.configure, permissions.write, permissions.read]);
      return { username, password, url: amqpUrl(username, password, vhost) };
    },
    dir: running.dir, stop: running.stop,
  };
}

/** True when the port answers the AMQP 0-9-1 protocol header with a method frame (Connection.Start). */
function speaksAmqp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('connect', () => socket.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')));
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk[0] === 1);
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}
