/**
 * A small JSON-over-HTTP layer on Node's own server: a route table with `:param` segments, JSON
 * bodies with a size limit, and errors as `{"error": "..."}`. Enough for a handful of endpoints; a
 * larger backend can move the same handlers onto a framework without changing them much.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { errorFields, log } from './log';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A failure the client caused or should know about; its message is sent as `{"error": message}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface Request {
  readonly method: string;
  readonly path: string;
  /** The route's `:name` segments, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body as a plain object (400 when it is not one, 415 when it is not JSON). */
  json(): Promise<Record<string, unknown>>;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** e.g. `/cart/items/:sku`. */
  readonly path: string;
  readonly handler: (req: Request) => Promise<Reply>;
}

/** Request bodies above this are refused (413): every body here is a few fields. */
export const MAX_BODY_BYTES = 16 * 1024;

interface CompiledRoute extends Route {
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

/** Turns a route table into one function from a Node request to a {@link Reply}. Never throws. */
export function createRouter(routes: readonly Route[]): (req: IncomingMessage) => Promise<Reply> {
  const compiled = routes.map(compile);
  return async (req) => {
    const method = req.method ?? 'GET';
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return errorReply(400, 'malformed URL');
    }
    const matching = compiled.filter((route) => route.pattern.test(path));
    if (matching.length === 0) return errorReply(404, 'not found');
    const route = matching.find((r) => r.method === method || (method === 'HEAD' && r.method === 'GET'));
    if (route === undefined) {
      return { status: 405, body: { error: 'method not allowed' }, headers: { allow: matching.map((r) => r.method).join(', ') } };
    }
    try {
      const values = route.pattern.exec(path)!.slice(1);
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(values[i])]));
      return await route.handler({ method, path, params, headers: req.headers, json: () => readJson(req) });
    } catch (err) {
      if (err instanceof HttpError) return errorReply(err.status, err.message);
      if (err instanceof URIError) return errorReply(400, 'malformed URL');
      log.error('request failed', { method, path, ...errorFields(err) });
      return errorReply(500, 'internal error');
    }
  };
}

export function errorReply(status: number, message: string): Reply {
  return { status, body: { error: message } };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpError(415, 'send the body as JSON (content-type: application/json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Writes a reply as JSON (no body for HEAD). */
export function send(res: ServerResponse, method: string, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(method === 'HEAD' ? undefined : body);
}
