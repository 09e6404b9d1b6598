/**
 * The front end's HTTP API: `POST /orders` validates the order with the gRPC validator, then hands
 * it to RabbitMQ and Kafka and answers 202 `{ id }`; 400 `{ error }` with the validator's reason for a
 * bad order; 503 `{ error }` when a dependency is down (with the id, so the client retries the same
 * order and the consumers, idempotent by id, process it once).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { answerHealth, sendJson } from '../../shared/src/http';
import { errorText, type Logger } from '../../shared/src/log';
import { isObject, parseOrder } from '../../shared/src/order';
import { DependencyUnavailable, type OrderPublisher, type OrderValidation } from './dependencies';

export const ORDERS_PATH = '/orders';
/** An order is a few hundred bytes; anything near this is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface FrontendDependencies {
  readonly validator: OrderValidation;
  readonly publishers: readonly OrderPublisher[];
  readonly log: Logger;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function createFrontendServer(deps: FrontendDependencies): Server {
  const server = createServer((req, res) => {
    handle(req, res, deps).catch((err: unknown) => {
      if (err instanceof HttpError) {
        sendJson(res, err.status, { error: err.message });
        return;
      }
      deps.log.error('request failed', { method: req.method, path: req.url, error: errorText(err) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  });
  // Slow or stalled clients cannot hold connections open for long.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: FrontendDependencies): Promise<void> {
  const readiness = async () => ({
    validator: await deps.validator.isServing(),
    ...Object.fromEntries(deps.publishers.map((p) => [p.dependency, p.isUp()])),
  });
  if (await answerHealth(req, res, readiness)) return;
  const path = (req.url ?? '/').split('?')[0];
  if (path !== ORDERS_PATH) throw new HttpError(404, `no route ${req.method} ${path}; orders are posted to ${ORDERS_PATH}`);
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: `${req.method} is not allowed on ${ORDERS_PATH}; use POST` }, { allow: 'POST' });
    return;
  }
  const { status, body } = await acceptOrder(await readJson(req), deps);
  sendJson(res, status, body);
}

/** The whole POST /orders decision, without HTTP: status and JSON body. */
export async function acceptOrder(body: unknown, deps: FrontendDependencies): Promise<{ status: number; body: Record<string, string> }> {
  // The client may send its own id (its idempotency key); otherwise the order gets a fresh one.
  const withId = isObject(body) && body.id === undefined ? { ...body, id: randomUUID() } : body;
  const parsed = parseOrder(withId);
  if (!parsed.ok) return { status: 400, body: { error: parsed.error } };
  const order = parsed.value;
  try {
    const verdict = await deps.validator.validate(order);
    if (!verdict.valid) {
      deps.log.info('order rejected', { orderId: order.id, reason: verdict.reason });
      return { status: 400, body: { error: verdict.reason } };
    }
    // Both brokers or neither, as far as it can be known beforehand: publishing to one while the other is down would only make copies to skip.
    const down = deps.publishers.find((publisher) => !publisher.isUp());
    if (down) throw new DependencyUnavailable(down.dependency, 'not connected');
    const results = await Promise.allSettled(deps.publishers.map((publisher) => publisher.publish(order)));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    if (failed.length > 0) throw failed[0];
  } catch (err) {
    if (!(err instanceof DependencyUnavailable)) throw err;
    deps.log.warn('order not accepted: a dependency is down', { orderId: order.id, error: err.message });
    return { status: 503, body: { error: err.message, id: order.id } };
  }
  deps.log.info('order accepted', { orderId: order.id, customer: order.customer, total: order.total });
  return { status: 202, body: { id: order.id } };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\b/i.test(type)) throw new HttpError(415, `content-type must be application/json, received ${type}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}
