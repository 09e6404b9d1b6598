import { createServer, Server } from 'node:http';
import { handle, log } from './app';

/** Port the container listens on; the task definition and the load balancer use the same one. */
export const DEFAULT_PORT = 8080;

/** The HTTP server, not yet listening. */
export function createAutoPipeServer(): Server {
  const server = createServer(handle);
  // The ALB reuses idle connections for up to 60 s; if Node closed them first (its default is
  // 5 s) the ALB would now and then send a request into a closing socket and answer 502.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

/**
 * Listens on PORT (default 8080) and shuts down cleanly on SIGTERM, which ECS sends before
 * stopping a task: in-flight requests finish, then the process exits.
 */
export function start(port = Number(process.env.PORT ?? DEFAULT_PORT)): Server {
  const server = createAutoPipeServer();
  server.listen(port, () => log({ msg: 'listening', port }));
  const stop = (signal: NodeJS.Signals) => {
    log({ msg: 'stopping', signal });
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // ECS kills the container after its stop timeout (30 s); leave before that.
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}

if (require.main === module) start();
