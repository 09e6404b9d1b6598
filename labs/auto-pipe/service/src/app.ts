/**
 * The Auto-Pipe API, the course's FastAPI example rewritten with Node's standard library so
 * the image needs no runtime dependencies and the kit's Jest suite tests it. Responses keep
 * FastAPI's shapes (`{"detail": ...}` errors, 422 for a path parameter that is not an integer).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Item {
  readonly id: number;
  readonly name: string;
  readonly description: string;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const ITEM_PATH = /^\/items\/([^/]+)$/;

/** Routes one request; pure, so it is tested without a socket. */
export function route(method: string, path: string): Reply {
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, body: { detail: 'Method Not Allowed' }, headers: { allow: 'GET, HEAD' } };
  }
  if (path === '/health') return { status: 200, body: { status: 'ok' } };
  if (path === '/') return { status: 200, body: { service: 'auto-pipe', endpoints: ['/health', '/items/{item_id}'] } };

  const item = ITEM_PATH.exec(path);
  if (item !== null) {
    const raw = decodeURIComponent(item[1]);
    const id = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(id)) {
      return {
        status: 422,
        body: { detail: [{ loc: ['path', 'item_id'], msg: 'Input should be a valid integer', input: raw }] },
      };
    }
    const found: Item = { id, name: `item-${id}`, description: 'A sample item' };
    return { status: 200, body: found };
  }
  return { status: 404, body: { detail: 'Not Found' } };
}

/** Node request handler: routes, answers JSON, and logs one JSON line per request. */
export function handle(req: IncomingMessage, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  const method = req.method ?? 'GET';
  let path: string;
  let reply: Reply;
  try {
    path = new URL(req.url ?? '/', 'http://localhost').pathname;
    reply = route(method, path);
  } catch {
    // A malformed URL or percent-encoding is the client's mistake, not a crash.
    path = req.url ?? '';
    reply = { status: 400, body: { detail: 'Bad Request' } };
  }

  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...reply.headers,
  });
  res.end(method === 'HEAD' ? undefined : body);

  // Health checks arrive every few seconds from the load balancer and ECS; logging them is noise.
  if (path !== '/health') {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log({ msg: 'request', method, path, status: reply.status, ms: Math.round(ms * 100) / 100 });
  }
}

/** Structured logs: one JSON object per line on stdout, which awslogs ships to CloudWatch. */
export function log(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}
