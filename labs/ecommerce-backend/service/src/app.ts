/**
 * The service: every route of every feature area (auth, catalog, cart, checkout) plus the two
 * health endpoints, as one Node request handler. server.ts gives it its connections and a port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { authRoutes } from './auth';
import type { Cache } from './cache';
import { CartStore, cartRoutes } from './cart';
import { Catalog, catalogRoutes } from './catalog';
import { type Route, createRouter, send } from './http';
import { log } from './log';
import { orderRoutes } from './orders';
import { type PaymentProvider, StubPaymentProvider } from './payments';
import { checkReadiness } from './readiness';

export interface AppDeps {
  readonly db: Pool;
  readonly cache: Cache;
  readonly sessionSecret: string;
  /** @default a {@link StubPaymentProvider} */
  readonly payments?: PaymentProvider;
  /** @default CATALOG_TTL_SECONDS */
  readonly catalogTtlSeconds?: number;
  /** @default CART_TTL_SECONDS */
  readonly cartTtlSeconds?: number;
}

export interface App {
  /** The Node request handler. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** From now on /readyz answers 503 and every response closes its connection (shutdown). */
  stopping(): void;
}

/** Probed every few seconds by ECS and the load balancer: not worth a log line each. */
const QUIET_PATHS = new Set(['/healthz', '/readyz']);

export function createApp(deps: AppDeps): App {
  const catalog = new Catalog(deps.db, deps.cache, deps.catalogTtlSeconds);
  const carts = new CartStore(deps.cache, deps.cartTtlSeconds);
  const payments = deps.payments ?? new StubPaymentProvider();
  let stopping = false;

  const health: Route[] = [
    // Liveness: the process serves HTTP. The target group checks this one, so a data-tier blip
    // does not take every task out of the load balancer at once.
    { method: 'GET', path: '/healthz', handler: async () => ({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async () => {
        if (stopping) return { status: 503, body: { status: 'stopping' } };
        const { ready, checks } = await checkReadiness({
          database: () => deps.db.query('SELECT 1'),
          cache: () => deps.cache.ping(),
        });
        return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'unavailable', checks } };
      },
    },
  ];
  const route = createRouter([
    ...health,
    ...authRoutes({ db: deps.db, sessionSecret: deps.sessionSecret }),
    ...catalogRoutes({ db: deps.db, catalog, sessionSecret: deps.sessionSecret }),
    ...cartRoutes({ carts, catalog, sessionSecret: deps.sessionSecret }),
    ...orderRoutes({ db: deps.db, carts, payments, sessionSecret: deps.sessionSecret }),
  ]);

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    void route(req).then((reply) => {
      // While draining, each connection closes after its response, so keep-alive clients move to other tasks.
      if (stopping) res.setHeader('connection', 'close');
      send(res, method, reply);
      const path = (req.url ?? '').split('?')[0];
      if (!QUIET_PATHS.has(path)) log.info('request', { method, path, status: reply.status, ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000 });
    });
  };
  return {
    handle,
    stopping: () => {
      stopping = true;
    },
  };
}
