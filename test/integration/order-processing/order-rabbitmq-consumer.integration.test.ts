/**
 * The RabbitMQ consumer against a real broker, as its pod runs it (main.ts, env and Secret files, the
 * app user's permissions only): it consumes and acks; a consumer killed before its ack leaves the order
 * to be redelivered (at least once); a redelivered or repeated order is processed once (idempotent);
 * SIGTERM finishes the order in hand and exits 0; readiness follows the broker.
 */
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { startRabbitMqConsumer } from '../../../labs/order-processing/services/order-rabbitmq-consumer/src/consumer';
import { readEnv } from '../../../labs/order-processing/services/shared/src/env';
import { createLogger } from '../../../labs/order-processing/services/shared/src/log';
import { InMemoryProcessedOrders } from '../../../labs/order-processing/services/shared/src/processed-orders';
import { RABBITMQ_ENV } from '../../../labs/order-processing/services/shared/src/rabbitmq';
import { freePort } from '../servers/process';
import { type RunningRabbitMq, startRabbitMq } from '../servers/rabbitmq';
import { type AppProcess, type AppUser, appUser, eventually, QUEUE, startApp } from './apps';

const order = (id: string) => ({ id, customer: 'ada@example.com', items: [{ sku: 'book-42', quantity: 2, unitPrice: 12.5 }], total: 25 });

let broker: RunningRabbitMq;
let user: AppUser;
let connection: ChannelModel;
let channel: Channel;
const running: AppProcess[] = [];

beforeAll(async () => {
  broker = await startRabbitMq();
  user = await appUser(broker);
  connection = await connect(user.url);
  channel = await connection.createConfirmChannel();
  await channel.assertQueue(QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
}, 120_000);

afterAll(async () => {
  for (const app of running) app.child.kill('SIGKILL');
  await connection?.close().catch(() => undefined);
  user?.remove();
  await broker?.stop();
}, 60_000);

/** Publishes as the front end does: persistent, to the default exchange, confirmed. */
async function publish(body: object): Promise<void> {
  channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify(body)), { persistent: true, contentType: 'application/json', messageId: (body as { id: string }).id });
  await (channel as unknown as { waitForConfirms(): Promise<void> }).waitForConfirms();
}

const ready = async () => (await channel.checkQueue(QUEUE)).messageCount;

async function consumer(): Promise<{ app: AppProcess; healthPort: number }> {
  const healthPort = await freePort();
  const app = startApp('order-rabbitmq-consumer', { ...user.env, HEALTH_PORT: String(healthPort) });
  running.push(app);
  await app.waitForLine({ msg: 'consuming' });
  return { app, healthPort };
}

test('consumes an order, logs it as one JSON line, acks it; /readyz is 200 while consuming', async () => {
  const { app, healthPort } = await consumer();
  const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
  expect([res.status, await res.json()]).toEqual([200, { status: 'ready', checks: { rabbitmq: 'up' } }]);
  await publish(order('rmq-1'));
  const line = await app.waitForLine({ msg: 'order processed', orderId: 'rmq-1' });
  expect(line).toEqual({ time: expect.any(String), level: 'info', msg: 'order processed', orderId: 'rmq-1', customer: 'ada@example.com', items: 1, total: 25, redelivered: false });
  await eventually('the queue is empty (acked)', async () => (await ready()) === 0);
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
}, 60_000);

test('at least once: a consumer killed before its ack leaves the order in the queue, and the next consumer gets it redelivered', async () => {
  const { app } = await consumer();
  app.child.kill('SIGSTOP'); // frozen: the broker delivers the order, nobody processes or acks it
  await publish(order('rmq-2'));
  await eventually('the order is delivered (not ready in the queue)', async () => (await ready()) === 0);
  app.child.kill('SIGKILL');
  await app.exited;
  await eventually('the broker requeued the unacked order', async () => (await ready()) === 1);
  expect(app.lines().some((line) => line.orderId === 'rmq-2')).toBe(false);

  const next = await consumer();
  const line = await next.app.waitForLine({ msg: 'order processed', orderId: 'rmq-2' });
  expect(line.redelivered).toBe(true);
  await eventually('the queue is empty', async () => (await ready()) === 0);
  next.app.child.kill('SIGTERM');
  expect(await next.app.exited).toBe(0);
}, 60_000);

test('idempotent: the same order twice (a client retry) is processed once, and both copies are acked', async () => {
  const { app } = await consumer();
  await publish(order('rmq-3'));
  await publish(order('rmq-3'));
  await app.waitForLine({ msg: 'duplicate order skipped', orderId: 'rmq-3' });
  expect(app.lines().filter((line) => line.orderId === 'rmq-3').map((line) => line.msg)).toEqual(['order processed', 'duplicate order skipped']);
  await eventually('the queue is empty', async () => (await ready()) === 0);
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
}, 60_000);

test('SIGTERM: the consumer stops taking orders, finishes the one in hand, acks it, closes and exits 0', async () => {
  const settings = readEnv(RABBITMQ_ENV, user.env);
  const processed: string[] = [];
  let started!: () => void;
  const inHand = new Promise<void>((resolve) => (started = resolve));
  const consumerInProcess = await startRabbitMqConsumer(settings, new InMemoryProcessedOrders(), createLogger('error', () => undefined), async (o) => {
    started();
    await new Promise((resolve) => setTimeout(resolve, 500));
    processed.push(o.id);
  });
  await eventually('the consumer is up', () => consumerInProcess.isUp());
  await publish(order('rmq-4'));
  await inHand;
  await consumerInProcess.stop();
  expect(processed).toEqual(['rmq-4']);
  expect(consumerInProcess.isUp()).toBe(false);
  expect(await ready()).toBe(0);
  expect((await channel.checkQueue(QUEUE)).consumerCount).toBe(0);

  const { app } = await consumer();
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
  expect(app.lines().map((line) => line.msg).slice(-2)).toEqual(['shutting down', 'stopped']);
}, 60_000);

test('the broker down makes /readyz 503 (liveness stays 200); back up, the consumer reconnects and consumes', async () => {
  const { app, healthPort } = await consumer();
  await connection.close();
  await broker.rabbitmqctl(['stop_app']);
  try {
    await eventually('/readyz is 503', async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status === 503);
    expect((await fetch(`http://127.0.0.1:${healthPort}/healthz`)).status).toBe(200);
  } finally {
    await broker.rabbitmqctl(['start_app']);
  }
  await eventually('/readyz is 200 again', async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status === 200, 30_000);
  connection = await connect(user.url);
  channel = await connection.createConfirmChannel();
  await publish(order('rmq-5'));
  await app.waitForLine({ msg: 'order processed', orderId: 'rmq-5' });
  expect(app.lines().some((line) => line.msg === 'lost the RabbitMQ connection; reconnecting')).toBe(true);
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
}, 90_000);
