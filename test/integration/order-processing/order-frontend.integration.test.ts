/**
 * The front end against a real RabbitMQ, with the real validator over gRPC on loopback (Kafka, which
 * no Debian package provides, through kafkajs's API on the in-process fake): 202 puts the order in the
 * durable quorum queue as a persistent JSON message; the broker down is 503 and readiness 503; back
 * up, it reconnects by itself; the process started as its image starts it exits 0 on SIGTERM.
 */
import { type Channel, type ChannelModel, connect } from 'amqplib';
import type { Server } from 'node:http';
import { createFrontendServer } from '../../../labs/order-processing/services/order-frontend/src/api';
import type { OrderPublisher } from '../../../labs/order-processing/services/order-frontend/src/dependencies';
import { createKafkaPublisher, type KafkaClient, openRabbitMqPublisher } from '../../../labs/order-processing/services/order-frontend/src/publishers';
import { createValidatorClient } from '../../../labs/order-processing/services/order-frontend/src/validator-client';
import { startValidatorServer, type ValidatorServer } from '../../../labs/order-processing/services/order-validator/src/server';
import { readEnv } from '../../../labs/order-processing/services/shared/src/env';
import { closeServer, listen } from '../../../labs/order-processing/services/shared/src/http';
import { createLogger } from '../../../labs/order-processing/services/shared/src/log';
import { RABBITMQ_ENV } from '../../../labs/order-processing/services/shared/src/rabbitmq';
import { FakeKafka } from '../../labs/order-processing/services/fake-kafka';
import { freePort } from '../servers/process';
import { type RunningRabbitMq, startRabbitMq } from '../servers/rabbitmq';
import { type AppUser, appUser, eventually, QUEUE, startApp, VHOST } from './apps';

const order = (id: string) => ({ id, customer: 'ada@example.com', items: [{ sku: 'book-42', quantity: 2, unitPrice: 12.5 }], total: 25 });
const quiet = createLogger('error', () => undefined);

let broker: RunningRabbitMq;
let user: AppUser;
let validatorServer: ValidatorServer;
let rabbitmq: OrderPublisher;
let kafka: OrderPublisher;
let server: Server;
let base: string;
let inspect: ChannelModel;
const validator = () => createValidatorClient(`127.0.0.1:${validatorServer.port}`);

beforeAll(async () => {
  broker = await startRabbitMq();
  user = await appUser(broker);
  validatorServer = await startValidatorServer(0, quiet, '127.0.0.1');
  rabbitmq = await openRabbitMqPublisher(readEnv(RABBITMQ_ENV, user.env), quiet);
  kafka = createKafkaPublisher(new FakeKafka() as unknown as KafkaClient, 'orders', quiet);
  server = createFrontendServer({ validator: validator(), publishers: [rabbitmq, kafka], log: quiet });
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  await eventually('the front end is ready', async () => (await fetch(`${base}/readyz`)).status === 200);
  inspect = await connect(user.url);
}, 120_000);

afterAll(async () => {
  await closeServer(server);
  await rabbitmq?.close();
  await kafka?.close();
  await inspect?.close().catch(() => undefined);
  await validatorServer?.stop();
  user?.remove();
  await broker?.stop();
}, 60_000);

const post = (body: unknown) => fetch(`${base}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('202 {id}: the order is in the durable quorum queue as a persistent JSON message carrying its id', async () => {
  const res = await post(order('fe-1'));
  expect([res.status, await res.json()]).toEqual([202, { id: 'fe-1' }]);
  const queues = JSON.parse(await broker.rabbitmqctl(['list_queues', '-p', VHOST, 'name', 'type', 'durable', '--formatter', 'json']));
  expect(queues).toEqual([{ name: 'orders', type: 'quorum', durable: true }]);
  const channel: Channel = await inspect.createChannel();
  const message = await channel.get(QUEUE, { noAck: true });
  expect(message).not.toBe(false);
  if (message === false) return;
  expect(JSON.parse(message.content.toString())).toEqual(order('fe-1'));
  expect(message.properties).toMatchObject({ deliveryMode: 2, contentType: 'application/json', messageId: 'fe-1', appId: 'order-frontend' });
  await channel.close();
}, 30_000);

test('a bad order is 400 with the validator\'s reason, and nothing reaches the queue', async () => {
  const res = await post({ ...order('fe-2'), total: 20 });
  expect([res.status, await res.json()]).toEqual([400, { error: 'total mismatch: total is 20.00 but the items add up to 25.00' }]);
  const channel = await inspect.createChannel();
  expect((await channel.checkQueue(QUEUE)).messageCount).toBe(0);
  await channel.close();
}, 30_000);

test('RabbitMQ down: /readyz 503 and POST 503 with the id; back up, the front end reconnects and accepts orders again', async () => {
  await inspect.close();
  await broker.rabbitmqctl(['stop_app']);
  try {
    await eventually('/readyz is 503', async () => (await fetch(`${base}/readyz`)).status === 503);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'not ready', checks: { validator: 'up', rabbitmq: 'down', kafka: 'up' } });
    const res = await post(order('fe-3'));
    expect([res.status, await res.json()]).toEqual([503, { error: 'rabbitmq is unavailable: not connected', id: 'fe-3' }]);
  } finally {
    await broker.rabbitmqctl(['start_app']);
  }
  await eventually('/readyz is 200 again', async () => (await fetch(`${base}/readyz`)).status === 200, 30_000);
  const res = await post(order('fe-3'));
  expect([res.status, await res.json()]).toEqual([202, { id: 'fe-3' }]);
  inspect = await connect(user.url);
}, 90_000);

test('the front end as its image runs it: JSON logs, RabbitMQ connected, /readyz 503 while Kafka is unreachable, SIGTERM exits 0', async () => {
  const [port, closedKafkaPort] = [await freePort(), await freePort()];
  const app = startApp('order-frontend', {
    ...user.env,
    PORT: String(port),
    VALIDATOR_ADDRESS: `127.0.0.1:${validatorServer.port}`,
    KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${closedKafkaPort}`,
    KAFKA_TOPIC: 'orders',
  });
  try {
    await app.waitForLine({ msg: 'front end listening', port });
    await app.waitForLine({ msg: 'connected to RabbitMQ' });
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect([res.status, await res.json()]).toEqual([503, { status: 'not ready', checks: { validator: 'up', rabbitmq: 'up', kafka: 'down' } }]);
    const posted = await fetch(`http://127.0.0.1:${port}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order('fe-4')) });
    expect([posted.status, await posted.json()]).toEqual([503, { error: 'kafka is unavailable: not connected', id: 'fe-4' }]);
  } finally {
    app.child.kill('SIGTERM');
  }
  expect(await app.exited).toBe(0);
  expect(app.lines().map((line) => line.msg).slice(-2)).toEqual(['shutting down', 'stopped']);
  expect(app.stderr()).toBe('');
}, 60_000);
