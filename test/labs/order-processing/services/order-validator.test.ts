/**
 * The validator: its rules, then the real gRPC server on a loopback port, called the way the front end
 * (orders.v1.OrderValidator) and the kubelet's grpc probes (grpc.health.v1.Health) call it.
 */
import { credentials, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { createValidatorClient } from '../../../../labs/order-processing/services/order-frontend/src/validator-client';
import { VALIDATOR_DESCRIPTION } from '../../../../labs/order-processing/services/order-validator/src/config';
import { rejectionReason } from '../../../../labs/order-processing/services/order-validator/src/rules';
import { startValidatorServer, type ValidatorServer } from '../../../../labs/order-processing/services/order-validator/src/server';
import { createLogger } from '../../../../labs/order-processing/services/shared/src/log';
import { type HealthCheckResponse, loadProtos } from '../../../../labs/order-processing/services/shared/src/proto';
import { capture, ORDER } from './fixtures';

const item = ORDER.items[0];

type HealthClient = Client & {
  Check(request: { service: string }, options: { deadline: number }, callback: (err: ServiceError | null, res: HealthCheckResponse) => void): void;
  Watch(request: { service: string }): ClientReadableStream<HealthCheckResponse>;
};
const healthClient = (address: string) => new (loadProtos().Health)(address, credentials.createInsecure()) as unknown as HealthClient;

describe('rules', () => {
  test('a valid order has no reason to be rejected; totals are compared in cents', () => {
    expect(rejectionReason(ORDER)).toBeUndefined();
    expect(rejectionReason({ ...ORDER, items: [{ sku: 'a', quantity: 1, unitPrice: 0.1 }, { sku: 'b', quantity: 1, unitPrice: 0.2 }], total: 0.3 })).toBeUndefined();
    expect(rejectionReason({ ...ORDER, items: [{ sku: 'gift', quantity: 1, unitPrice: 0 }], total: 0 })).toBeUndefined();
  });

  test.each([
    ['items is empty: an order needs at least one item', { ...ORDER, items: [], total: 0 }],
    ['items[1].quantity must be positive, received 0', { ...ORDER, items: [item, { ...item, quantity: 0 }] }],
    ['items[0].quantity must be positive, received -2', { ...ORDER, items: [{ ...item, quantity: -2 }] }],
    ['total mismatch: total is 31.00 but the items add up to 30.00', { ...ORDER, total: 31 }],
    ['customer is required', { ...ORDER, customer: '  ' }],
    ['id is required', { ...ORDER, id: '' }],
    ['items[0].sku is required', { ...ORDER, items: [{ ...item, sku: '' }] }],
    ['items[0].unitPrice must not be negative, received -12.5', { ...ORDER, items: [{ ...item, unitPrice: -12.5 }], total: -25 }],
    ['items[0].unitPrice must have at most two decimals, received 12.505', { ...ORDER, items: [{ ...item, unitPrice: 12.505 }] }],
    ['total must have at most two decimals, received 30.001', { ...ORDER, total: 30.001 }],
  ])('rejected: %s', (reason, order) => {
    expect(rejectionReason(order)).toBe(reason);
  });
});

describe('the gRPC server on loopback', () => {
  const { lines, write } = capture();
  let validator: ValidatorServer;
  let address: string;
  let health: HealthClient;

  beforeAll(async () => {
    validator = await startValidatorServer(0, createLogger('info', write), '127.0.0.1');
    address = `127.0.0.1:${validator.port}`;
    health = healthClient(address);
  });
  afterAll(async () => {
    health.close();
    await validator.stop();
  });

  const check = (service: string) =>
    new Promise<HealthCheckResponse>((resolve, reject) =>
      health.Check({ service }, { deadline: Date.now() + 2000 }, (err, res) => (err ? reject(err) : resolve(res))),
    );

  test('ValidateOrder answers valid, or not valid with the reason, and logs each verdict', async () => {
    const client = createValidatorClient(address);
    try {
      // 2 x 12.50 + 1 x 5.00: were unitPrice lost on the wire (a proto field name that differs from the JSON's), the total would mismatch.
      expect(await client.validate(ORDER)).toEqual({ valid: true, reason: '' });
      expect(await client.validate({ ...ORDER, id: 'order-2', items: [] })).toEqual({ valid: false, reason: 'items is empty: an order needs at least one item' });
      expect(await client.validate({ ...ORDER, id: 'order-3', total: 29.99 })).toEqual({ valid: false, reason: 'total mismatch: total is 29.99 but the items add up to 30.00' });
      expect(await client.isServing()).toBe(true);
    } finally {
      client.close();
    }
    expect(lines().filter((l) => l.msg !== 'validator listening')).toEqual([
      expect.objectContaining({ level: 'info', msg: 'order valid', orderId: 'order-1' }),
      expect.objectContaining({ msg: 'order rejected', orderId: 'order-2', reason: 'items is empty: an order needs at least one item' }),
      expect.objectContaining({ msg: 'order rejected', orderId: 'order-3' }),
    ]);
  });

  test('health Check: the server ("") and orders.v1.OrderValidator are SERVING, what the chart\'s grpc probes and the front end ask', async () => {
    expect(await check('')).toEqual({ status: 'SERVING' });
    expect(await check('orders.v1.OrderValidator')).toEqual({ status: 'SERVING' });
    expect(VALIDATOR_DESCRIPTION.listeners).toEqual([{ variable: 'PORT', protocol: 'grpc', healthServices: ['', 'orders.v1.OrderValidator'] }]);
  });

  test('health Check of an unknown service is NOT_FOUND', async () => {
    await expect(check('orders.v1.Nope')).rejects.toMatchObject({ code: 5 });
  });

  test('health Watch sends the status now and again when it changes', async () => {
    const stream = health.Watch({ service: 'orders.v1.OrderValidator' });
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      stream.on('data', (res: HealthCheckResponse) => {
        seen.push(res.status);
        if (seen.length === 1) validator.health.set('orders.v1.OrderValidator', 'NOT_SERVING');
        if (seen.length === 2) resolve();
      });
    });
    stream.cancel();
    stream.on('error', () => undefined);
    validator.health.set('orders.v1.OrderValidator', 'SERVING');
    expect(seen).toEqual(['SERVING', 'NOT_SERVING']);
  });
});

test('a front end whose validator is down gets DependencyUnavailable (its 503), and readiness false', async () => {
  const validator = await startValidatorServer(0, createLogger('error', () => undefined), '127.0.0.1');
  const address = `127.0.0.1:${validator.port}`;
  await validator.stop();
  const client = createValidatorClient(address);
  try {
    await expect(client.validate(ORDER)).rejects.toMatchObject({ name: 'DependencyUnavailable', dependency: 'validator', message: expect.stringMatching(/^validator is unavailable: UNAVAILABLE: /) });
    expect(await client.isServing()).toBe(false);
  } finally {
    client.close();
  }
});

test('on shutdown the health service turns NOT_SERVING before the port closes, and open Watch streams end', async () => {
  const validator = await startValidatorServer(0, createLogger('error', () => undefined), '127.0.0.1');
  const health = healthClient(`127.0.0.1:${validator.port}`);
  const stream = health.Watch({ service: '' });
  const seen: string[] = [];
  const ended = new Promise<void>((resolve) => {
    stream.on('data', (res: HealthCheckResponse) => {
      seen.push(res.status);
      if (seen.length === 1) void validator.stop();
    });
    stream.on('status', () => resolve());
    stream.on('error', () => resolve());
  });
  await ended;
  health.close();
  expect(seen).toEqual(['SERVING', 'NOT_SERVING']);
});
