/**
 * The server: `node dist/server.js`, the image's command. Validates its configuration, opens the
 * database pool and the cache connection, listens on PORT, and on SIGTERM (ECS stopping the task)
 * stops accepting connections, lets in-flight requests finish, closes both stores, and exits 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, type AppDeps, createApp } from './app';
import { Cache } from './cache';
import { type Config, loadConfig, runMain } from './config';
import { createDatabasePool } from './db';
import { errorFields, log } from './log';

/** In-flight requests get this long after SIGTERM; ECS allows 30 s by default before SIGKILL. */
export const DRAIN_TIMEOUT_MS = 15_000;

export interface RunningService {
  readonly server: Server;
  readonly port: number;
  readonly app: App;
  /** Stops accepting, drains in-flight requests (up to `drainTimeoutMs`), then closes the pool and the cache. */
  shutdown(drainTimeoutMs?: number): Promise<void>;
}

export function createHttpServer(app: App): Server {
  const server = createServer(app.handle);
  // The ALB reuses idle connections for up to 60 s; if Node closed them first (its default is
  // 5 s) the ALB would now and then send a request into a closing socket and answer 502.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

/** What tests may vary beyond the configuration: the payment provider, TTLs, the listen address. */
export type ServiceOptions = Pick<AppDeps, 'payments' | 'cartTtlSeconds' | 'catalogTtlSeconds'> & {
  readonly host?: string;
  /** PostgreSQL refused the password on a new connection (see main). @default - requests fail with 5xx */
  readonly onDatabasePasswordRejected?: () => void;
};

/** Starts the service with `config`; listens on `config.port` (0 picks a free port, for tests). */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  const { host, onDatabasePasswordRejected, ...overrides } = options;
  const db = createDatabasePool(config.database, { onPasswordRejected: onDatabasePasswordRejected && (() => onDatabasePasswordRejected()) });
  const cache = new Cache(config.cache);
  cache.start();
  const app = createApp({ db, cache, sessionSecret: config.sessionSecret, ...overrides });
  const server = createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  log.info('listening', { port });

  let stopped: Promise<void> | undefined;
  const shutdown = (drainTimeoutMs = DRAIN_TIMEOUT_MS): Promise<void> => {
    stopped ??= (async () => {
      app.stopping();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), drainTimeoutMs);
      });
      if ((await Promise.race([closed, late])) === 'late') {
        log.warn('requests still running at the drain deadline; closing their connections', { drainTimeoutMs });
        server.closeAllConnections();
        await closed;
      }
      clearTimeout(timer);
      await Promise.allSettled([db.end(), cache.close()]).then((results) => {
        for (const result of results) if (result.status === 'rejected') log.warn('closing a connection failed', errorFields(result.reason));
      });
      log.info('stopped');
    })();
    return stopped;
  };
  return { server, port, app, shutdown };
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  log.setLevel(config.logLevel);
  let stopping = false;
  const exit = (code: number) => {
    if (stopping) return;
    stopping = true;
    // The contract promises an exit within 20 s whatever happens.
    setTimeout(() => process.exit(1), 20_000).unref();
    void service.shutdown().then(() => process.exit(code));
  };
  const service = await startService(config, {
    // The password came from Secrets Manager when the task started; once RDS has rotated it, no new
    // connection can log in. Exiting lets ECS replace the task with one that reads the current secret.
    onDatabasePasswordRejected: () => {
      log.error('database refused the password (rotated since this task started, or wrong): stopping so a new task reads the current one');
      exit(1);
    },
  });
  const stop = (signal: NodeJS.Signals) => {
    log.info('stopping', { signal });
    exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) runMain(() => main());
