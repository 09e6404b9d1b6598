import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, MAX_BODY_BYTES, type Route, createRouter, send } from '../../labs/ecommerce-backend/service/src/http';

const routes: Route[] = [
  { method: 'GET', path: '/items/:sku', handler: async (req) => ({ status: 200, body: { sku: req.params.sku } }) },
  { method: 'PUT', path: '/items/:sku', handler: async (req) => ({ status: 200, body: { sku: req.params.sku, got: await req.json() } }) },
  { method: 'POST', path: '/teapot', handler: async () => Promise.reject(new HttpError(418, 'short and stout')) },
  { method: 'POST', path: '/bug', handler: async () => Promise.reject(new Error('secret internals: password=hunter2')) },
];

let server: Server;
let base: string;
let stdout: jest.SpyInstance;

beforeAll(async () => {
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const route = createRouter(routes);
  server = createServer((req, res) => void route(req).then((reply) => send(res, req.method ?? 'GET', reply)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  stdout.mockRestore();
});

const request = async (method: string, path: string, init: { body?: string; type?: string } = {}) => {
  const res = await fetch(`${base}${path}`, { method, body: init.body, headers: init.type ? { 'content-type': init.type } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
};

test('routes by method and path, with decoded :params, answering JSON that no cache keeps', async () => {
  const answer = await request('GET', '/items/MUG%2D001?x=1');
  expect(answer).toMatchObject({ status: 200, body: { sku: 'MUG-001' } });
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(answer.headers.get('cache-control')).toBe('no-store');
});

test('HEAD is GET without a body', async () => {
  expect(await request('HEAD', '/items/A')).toMatchObject({ status: 200, body: undefined });
});

test('an unknown path is 404, a known path with another method 405 naming the allowed ones', async () => {
  expect(await request('GET', '/nope')).toMatchObject({ status: 404, body: { error: 'not found' } });
  const answer = await request('DELETE', '/items/A');
  expect(answer).toMatchObject({ status: 405, body: { error: 'method not allowed' } });
  expect(answer.headers.get('allow')).toBe('GET, PUT');
});

test('a malformed percent-encoding is 400, not a crash', async () => {
  expect(await request('GET', '/items/%E0%A4%A')).toMatchObject({ status: 400, body: { error: 'malformed URL' } });
});

describe('JSON bodies', () => {
  test('are parsed into the handler', async () => {
    expect(await request('PUT', '/items/A', { body: '{"quantity":2}', type: 'application/json; charset=utf-8' })).toMatchObject({ status: 200, body: { got: { quantity: 2 } } });
  });

  test.each([
    ['not JSON', '{"quantity":', 'application/json', 400, 'the body is not valid JSON'],
    ['an array', '[1]', 'application/json', 400, 'the body must be a JSON object'],
    ['null', 'null', 'application/json', 400, 'the body must be a JSON object'],
    ['sent as a form', 'quantity=2', 'application/x-www-form-urlencoded', 415, 'send the body as JSON (content-type: application/json)'],
    ['too large', JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) }), 'application/json', 413, `the body is larger than ${MAX_BODY_BYTES} bytes`],
  ])('%s: refused', async (_, body, type, status, error) => {
    expect(await request('PUT', '/items/A', { body, type })).toMatchObject({ status, body: { error } });
  });
});

test('an HttpError becomes its status and message', async () => {
  expect(await request('POST', '/teapot')).toMatchObject({ status: 418, body: { error: 'short and stout' } });
});

test('any other error is a 500 that tells the client nothing, and is logged', async () => {
  stdout.mockClear();
  expect(await request('POST', '/bug')).toEqual({ status: 500, headers: expect.anything(), body: { error: 'internal error' } });
  const logged = stdout.mock.calls.map(([line]) => JSON.parse(String(line)));
  expect(logged).toEqual([expect.objectContaining({ level: 'error', msg: 'request failed', method: 'POST', path: '/bug', error: 'secret internals: password=hunter2' })]);
});
