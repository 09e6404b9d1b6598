/**
 * The front end: the POST /orders decision (202, 400 with the validator's reason, 503), its HTTP
 * server against the real validator over gRPC on loopback, and its Kafka producer over an in-process
 * fake with the exact kafkajs configuration. RabbitMQ publishing runs against a real broker in
 * test/integration/order-processing/order-frontend.integration.test.ts.
 */
import { Partitioners, logLevel } from 'kafkajs';
import type { Server } from 'node:http';
import { acceptOrder, createFrontendServer, MAX_BODY_BYTES } from '../../../../labs/order-processing/services/order-frontend/src/api';
import { DependencyUnavailable, type OrderPublisher, type OrderValidation } from '../../../../labs/order-processing/services/order-frontend/src/dependencies';
import { createKafkaPublisher, type KafkaClient, PRODUCER_CONFIG } from '../../../../labs/order-processing/services/order-frontend/src/publishers';
import { createValidatorClient } from '../../../../labs/order-processing/services/order-frontend/src/validator-client';
import { startValidatorServer, type ValidatorServer } from '../../../../labs/order-processing/services/order-validator/src/server';
import { closeServer, listen } from '../../../../labs/order-processing/services/shared/src/http';
import { kafkaConfig } from '../../../../labs/order-processing/services/shared/src/kafka';
import { createLogger } from '../../../../labs/order-processing/services/shared/src/log';
import type { Order } from '../../../../labs/order-processing/services/shared/src/order';
import { FakeKafka } from './fake-kafka';
import { capture, ORDER } from './fixtures';

const quiet = createLogger('error', () => undefined);

/** A publisher that keeps what it was given, or fails as a down broker does. */
class RecordingPublisher implements OrderPublisher {
  readonly published: Order[] = [];
  up = true;
  constructor(readonly dependency: string) {}
  isUp = () => this.up;
  publish = async (order: Order) => {
    if (!this.up) throw new DependencyUnavailable(this.dependency, 'not connected');
    this.published.push(order);
  };
  close = async () => undefined;
}

const verdicts = (reason?: string): OrderValidation => ({
  validate: async () => (reason ? { valid: false, reason } : { valid: true, reason: '' }),
  isServing: async () => true,
  close: () => undefined,
});

describe('POST /orders, decided', () => {
  test('a valid order is published to both brokers and answered 202 with its id', async () => {
    const [rabbitmq, kafka] = [new RecordingPublisher('rabbitmq'), new RecordingPublisher('kafka')];
    const { lines, write } = capture();
    expect(await acceptOrder(ORDER, { validator: verdicts(), publishers: [rabbitmq, kafka], log: createLogger('info', write) })).toEqual({ status: 202, body: { id: 'order-1' } });
    expect(rabbitmq.published).toEqual([ORDER]);
    expect(kafka.published).toEqual([ORDER]);
    expect(lines()).toEqual([expect.objectContaining({ level: 'info', msg: 'order accepted', orderId: 'order-1', customer: 'ada@example.com', total: 30 })]);
  });

  test('an order without an id gets a fresh UUID; the client may send its own as the idempotency key', async () => {
    const publisher = new RecordingPublisher('rabbitmq');
    const answer = await acceptOrder({ ...ORDER, id: undefined }, { validator: verdicts(), publishers: [publisher], log: quiet });
    expect(answer.status).toBe(202);
    expect(answer.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(publisher.published[0].id).toBe(answer.body.id);
  });

  test('a rejected order is 400 with the validator\'s reason, and nothing is published', async () => {
    const publisher = new RecordingPublisher('rabbitmq');
    expect(await acceptOrder(ORDER, { validator: verdicts('items is empty: an order needs at least one item'), publishers: [publisher], log: quiet })).toEqual({
      status: 400,
      body: { error: 'items is empty: an order needs at least one item' },
    });
    expect(publisher.published).toEqual([]);
  });

  test('a body that is not an order is 400 before the validator is asked', async () => {
    const validator = { ...verdicts(), validate: jest.fn() };
    expect(await acceptOrder({ ...ORDER, items: [{ sku: 'x', quantity: 1.5, unitPrice: 1 }] }, { validator, publishers: [], log: quiet })).toEqual({
      status: 400,
      body: { error: 'items[0].quantity must be a whole number' },
    });
    expect(validator.validate).not.toHaveBeenCalled();
  });

  test('the validator down is 503', async () => {
    const validator = { ...verdicts(), validate: () => Promise.reject(new DependencyUnavailable('validator', 'UNAVAILABLE: No connection established')) };
    expect(await acceptOrder(ORDER, { validator, publishers: [], log: quiet })).toEqual({
      status: 503,
      body: { error: 'validator is unavailable: UNAVAILABLE: No connection established', id: 'order-1' },
    });
  });

  test('a broker down is 503 with the id, so the client retries the same order (the consumers skip the copy that did get through)', async () => {
    const [rabbitmq, kafka] = [new RecordingPublisher('rabbitmq'), new RecordingPublisher('kafka')];
    kafka.up = false;
    expect(await acceptOrder(ORDER, { validator: verdicts(), publishers: [rabbitmq, kafka], log: quiet })).toEqual({
      status: 503,
      body: { error: 'kafka is unavailable: not connected', id: 'order-1' },
    });
    // Known down beforehand: not published to the other broker either.
    expect(rabbitmq.published).toEqual([]);
  });

  test('a broker that fails while publishing is 503 too', async () => {
    const failing = new RecordingPublisher('rabbitmq');
    failing.publish = () => Promise.reject(new DependencyUnavailable('rabbitmq', 'no answer within 5 s'));
    expect(await acceptOrder(ORDER, { validator: verdicts(), publishers: [failing, new RecordingPublisher('kafka')], log: quiet })).toEqual({
      status: 503,
      body: { error: 'rabbitmq is unavailable: no answer within 5 s', id: 'order-1' },
    });
  });

  test('anything else is a bug, not a 503', async () => {
    const validator = { ...verdicts(), validate: () => Promise.reject(new TypeError('x is undefined')) };
    await expect(acceptOrder(ORDER, { validator, publishers: [], log: quiet })).rejects.toThrow(TypeError);
  });
});

describe('the HTTP server, with the real validator over gRPC and Kafka through kafkajs\'s API on a fake', () => {
  let validatorServer: ValidatorServer;
  let server: Server;
  let base: string;
  const fakeKafka = new FakeKafka();
  const rabbitmq = new RecordingPublisher('rabbitmq');
  let kafka: OrderPublisher;
  let validator: OrderValidation;

  beforeAll(async () => {
    validatorServer = await startValidatorServer(0, quiet, '127.0.0.1');
    validator = createValidatorClient(`127.0.0.1:${validatorServer.port}`);
    kafka = createKafkaPublisher(fakeKafka as unknown as KafkaClient, 'orders', quiet);
    server = createFrontendServer({ validator, publishers: [rabbitmq, kafka], log: quiet });
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    while (!kafka.isUp()) await new Promise((resolve) => setTimeout(resolve, 10));
  });
  afterAll(async () => {
    await closeServer(server);
    await kafka.close();
    validator.close();
    await validatorServer.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${base}/orders`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  test('202 {id}: the order is on Kafka keyed by its id, as JSON', async () => {
    const res = await post({ ...ORDER, id: 'http-1' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: 'http-1' });
    expect(fakeKafka.records.at(-1)).toEqual({
      topic: 'orders',
      acks: -1,
      messages: [{ key: 'http-1', value: JSON.stringify({ ...ORDER, id: 'http-1' }), headers: { 'content-type': 'application/json' } }],
    });
    expect(rabbitmq.published.at(-1)?.id).toBe('http-1');
  });

  test('400 with the validator\'s reasons: empty items, non-positive quantity, total mismatch', async () => {
    const cases: [unknown, string][] = [
      [{ ...ORDER, items: [], total: 0 }, 'items is empty: an order needs at least one item'],
      [{ ...ORDER, items: [{ sku: 'book-42', quantity: 0, unitPrice: 12.5 }], total: 0 }, 'items[0].quantity must be positive, received 0'],
      [{ ...ORDER, total: 25 }, 'total mismatch: total is 25.00 but the items add up to 30.00'],
    ];
    for (const [order, error] of cases) {
      const res = await post(order);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error });
    }
  });

  test('not JSON is 400, another content type 415, a huge body 413, other paths 404 and methods 405', async () => {
    let res = await post('{"id": ');
    expect([res.status, await res.json()]).toEqual([400, { error: 'the body is not valid JSON' }]);
    res = await post('id=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect([res.status, await res.json()]).toEqual([415, { error: 'content-type must be application/json, received application/x-www-form-urlencoded' }]);
    res = await post('x'.repeat(MAX_BODY_BYTES + 1));
    expect(res.status).toBe(413);
    res = await fetch(`${base}/order`, { method: 'POST' });
    expect(res.status).toBe(404);
    res = await fetch(`${base}/orders`);
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'POST']);
  });

  test('/readyz names each dependency and is 503 while one is down; /healthz stays 200', async () => {
    let res = await fetch(`${base}/readyz`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ready', checks: { validator: 'up', rabbitmq: 'up', kafka: 'up' } }]);
    rabbitmq.up = false;
    try {
      res = await fetch(`${base}/readyz`);
      expect([res.status, await res.json()]).toEqual([503, { status: 'not ready', checks: { validator: 'up', rabbitmq: 'down', kafka: 'up' } }]);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      res = await post({ ...ORDER, id: 'http-2' });
      expect([res.status, await res.json()]).toEqual([503, { error: 'rabbitmq is unavailable: not connected', id: 'http-2' }]);
    } finally {
      rabbitmq.up = true;
    }
  });
});

describe('Kafka: the exact kafkajs configuration', () => {
  test('client: id, brokers, short timeouts, bounded retries, our JSON logs at our level', () => {
    const { lines, write } = capture();
    const config = kafkaConfig('order-frontend', ['kafka:9092'], 'warn', createLogger('debug', write));
    const { logCreator, ...rest } = config;
    expect(rest).toEqual({
      clientId: 'order-frontend',
      brokers: ['kafka:9092'],
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 5 },
      logLevel: logLevel.WARN,
    });
    logCreator!(logLevel.WARN)({ namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR', log: { message: 'Connection error', timestamp: 't', logger: 'kafkajs', broker: 'kafka:9092', stack: 'Error: connect ECONNREFUSED\n    at ...' } });
    expect(lines()).toEqual([expect.objectContaining({ level: 'error', msg: 'Connection error', kafkajs: 'Connection', broker: 'kafka:9092' })]);
    expect(Object.keys(lines()[0])).toEqual(['time', 'level', 'msg', 'kafkajs', 'broker']);
  });

  test('producer: the Java client\'s partitioner (no kafkajs v2 warning), topic auto-creation, not the experimental idempotent mode', () => {
    expect(PRODUCER_CONFIG).toEqual({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true, idempotent: false });
  });

  test('the producer keeps trying to connect while Kafka is down (not ready, 503), and publishes once it is up', async () => {
    const fake = new FakeKafka();
    fake.reachable = false;
    const { lines, write } = capture();
    const publisher = createKafkaPublisher(fake as unknown as KafkaClient, 'orders', createLogger('info', write));
    try {
      expect(fake.producerConfigs).toEqual([PRODUCER_CONFIG]);
      expect(publisher.isUp()).toBe(false);
      await expect(publisher.publish(ORDER)).rejects.toThrow('kafka is unavailable: not connected');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lines()[0]).toMatchObject({ level: 'warn', msg: 'cannot connect to Kafka; retrying', error: 'Connection error: connect ECONNREFUSED 127.0.0.1:9092' });
      fake.reachable = true;
      while (!publisher.isUp()) await new Promise((resolve) => setTimeout(resolve, 50));
      await publisher.publish(ORDER);
      expect(fake.topics.get('orders')).toEqual([{ key: 'order-1', value: JSON.stringify(ORDER), headers: { 'content-type': 'application/json' } }]);
      fake.reachable = false;
      await expect(publisher.publish(ORDER)).rejects.toMatchObject({ dependency: 'kafka', message: 'kafka is unavailable: Connection error: connect ECONNREFUSED 127.0.0.1:9092' });
    } finally {
      await publisher.close();
    }
    expect(publisher.isUp()).toBe(false);
  });
});
