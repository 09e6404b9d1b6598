import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { route } from '../../labs/auto-pipe/service/src/app';
import { createAutoPipeServer } from '../../labs/auto-pipe/service/src/server';

describe('route', () => {
  test('GET /health is 200 {"status":"ok"}: what the load balancer and ECS probe', () => {
    expect(route('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  test('GET /items/{id} returns the item, like the course\'s FastAPI read_item', () => {
    expect(route('GET', '/items/42')).toEqual({ status: 200, body: { id: 42, name: 'item-42', description: 'A sample item' } });
    expect(route('GET', '/items/-7').body).toMatchObject({ id: -7 });
  });

  test.each(['abc', '1.5', '9007199254740993'])('GET /items/%s is 422: item_id must be an integer', (id) => {
    expect(route('GET', `/items/${id}`)).toEqual({
      status: 422,
      body: { detail: [{ loc: ['path', 'item_id'], msg: 'Input should be a valid integer', input: id }] },
    });
  });

  test.each(['/nope', '/items', '/items/1/extra', '/health/'])('GET %s is 404', (path) => {
    expect(route('GET', path)).toEqual({ status: 404, body: { detail: 'Not Found' } });
  });

  test.each(['POST', 'PUT', 'DELETE'])('%s is 405 and says what is allowed', (method) => {
    expect(route(method, '/items/1')).toEqual({ status: 405, body: { detail: 'Method Not Allowed' }, headers: { allow: 'GET, HEAD' } });
  });
});

describe('server', () => {
  let server: Server;
  let base: string;
  let stdout: jest.SpyInstance;

  beforeAll(async () => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    server = createAutoPipeServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    stdout.mockRestore();
  });

  test('keeps idle connections longer than the ALB (60 s), so the ALB never reuses a closed one', () => {
    expect(server.keepAliveTimeout).toBeGreaterThan(60_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  });

  test('answers JSON over HTTP', async () => {
    const res = await fetch(`${base}/items/7?verbose=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ id: 7, name: 'item-7', description: 'A sample item' });
  });

  test('HEAD answers headers only', async () => {
    const res = await fetch(`${base}/health`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  test('a malformed percent-encoding is a 400, not a crash', async () => {
    const res = await fetch(`${base}/items/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ detail: 'Bad Request' });
  });

  test('logs one JSON line per request, but not the health checks', async () => {
    stdout.mockClear();
    await (await fetch(`${base}/health`)).text();
    await (await fetch(`${base}/items/3`)).text();
    const lines = stdout.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(lines).toEqual([expect.objectContaining({ msg: 'request', method: 'GET', path: '/items/3', status: 200 })]);
  });
});
