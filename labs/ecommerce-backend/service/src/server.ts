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
export type ServiceOptions = Pick<AppDeps, 'payments' | 'cartTtlSeconds' | 'catalogTtlSeconds'> & { readonly host?: string };

/** Starts the service with `config`; listens on `config.port` (0 picks a free port, for tests). */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  const db = createDatabasePool(config.database);
  const cache = new Cache(config.cache);
  cache.start();
  const { host, ...overrides } = options;
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
  const service = await startService(config);
  const stop = (signal: NodeJS.Signals) => {
    log.info('stopping', { signal });
    // The contract promises an exit within 20 s whatever happens.
    setTimeout(() => process.exit(1), 20_000).unref();
    void service.shutdown().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) runMain(() => main());
