/**
 * The health contract every HTTP-serving app keeps (the chart's probes call it) and the small JSON
 * helpers both HTTP servers share: the front end's API and the consumers' health port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from './log';
import type { Listener, RunningApp } from './service';

/** Liveness: 200 while the process can answer at all. A failing liveness probe restarts the pod. */
export const LIVENESS_PATH = '/healthz';
/** Readiness: 200 only when every dependency is up. A failing readiness probe takes the pod out of its Service. */
export const READINESS_PATH = '/readyz';

/** An HTTP listener on the port `variable` sets, serving both health routes. */
export function httpListener(variable: string): Listener {
  return { variable, protocol: 'http', liveness: LIVENESS_PATH, readiness: READINESS_PATH };
}

/** Each dependency by name, true when up, e.g. `{ rabbitmq: true, kafka: false }`. */
export type DependencyStatus = Record<string, boolean>;
export type ReadinessCheck = () => DependencyStatus | Promise<DependencyStatus>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/**
 * Answers GET/HEAD `/healthz` and `/readyz`; false when the request is for another path, so the
 * caller routes it. Readiness lists each dependency: `{"status":"ready","checks":{"rabbitmq":"up"}}`.
 */
export async function answerHealth(req: IncomingMessage, res: ServerResponse, readiness: ReadinessCheck): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== LIVENESS_PATH && path !== READINESS_PATH) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: `${req.method} is not allowed on ${path}; use GET` }, { allow: 'GET, HEAD' });
    return true;
  }
  if (path === LIVENESS_PATH) {
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  const status = await readiness();
  const ready = Object.values(status).every(Boolean);
  const checks = Object.fromEntries(Object.entries(status).map(([name, up]) => [name, up ? 'up' : 'down']));
  sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
  return true;
}

/** The consumers' health port: the two health routes, 404 for anything else. */
export function createHealthServer(readiness: ReadinessCheck, log: Logger): Server {
  return createServer((req, res) => {
    answerHealth(req, res, readiness)
      .then((answered) => {
        if (!answered) sendJson(res, 404, { error: `no route ${req.method} ${req.url}; this port serves ${LIVENESS_PATH} and ${READINESS_PATH}` });
      })
      .catch((err: unknown) => {
        log.error('health check failed', { error: err });
        if (!res.headersSent) sendJson(res, 500, { error: 'health check failed' });
      });
  });
}

/**
 * A consumer's pod: the consumer, and its health routes on `port` (ready while `consumer.isUp()`,
 * reported as `dependency`). Stopping stops the consumer first, then the health port.
 */
export async function withHealthPort(
  consumer: { isUp(): boolean; stop(): Promise<void> },
  dependency: string,
  port: number,
  log: Logger,
): Promise<RunningApp> {
  const health = createHealthServer(() => ({ [dependency]: consumer.isUp() }), log);
  log.info('health endpoints listening', { port: await listen(health, port) });
  return {
    stop: async () => {
      await consumer.stop();
      await closeServer(health);
    },
  };
}

/** Starts `server` on `port` (0: any free port) and resolves the port it got. */
export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/** Stops taking connections, lets requests in flight finish, then drops idle keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
