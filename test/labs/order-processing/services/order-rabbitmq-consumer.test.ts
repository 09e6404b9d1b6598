/**
 * The RabbitMQ consumer's decision for each delivery: ack once processed or when a duplicate, reject a
 * message that is not an order, requeue when processing failed. Against a real broker (redelivery
 * after a crash, shutdown): test/integration/order-processing/order-rabbitmq-consumer.integration.test.ts.
 */
import type { ConsumeMessage } from 'amqplib';
import { handleDelivery } from '../../../../labs/order-processing/services/order-rabbitmq-consumer/src/consumer';
import { createLogger } from '../../../../labs/order-processing/services/shared/src/log';
import { InMemoryProcessedOrders } from '../../../../labs/order-processing/services/shared/src/processed-orders';
import { capture, ORDER } from './fixtures';

const delivery = (body: string, redelivered = false) =>
  ({ content: Buffer.from(body), fields: { redelivered, deliveryTag: 1 }, properties: { messageId: 'm-1' } }) as unknown as ConsumeMessage;

test('an order is processed (one JSON line), then acked; the same order again is acked without processing it twice', async () => {
  const store = new InMemoryProcessedOrders();
  const { lines, write } = capture();
  const log = createLogger('info', write);
  expect(await handleDelivery(delivery(JSON.stringify(ORDER)), store, log)).toBe('ack');
  expect(await handleDelivery(delivery(JSON.stringify(ORDER), true), store, log)).toBe('ack');
  expect(lines().map(({ time: _time, ...line }) => line)).toEqual([
    { level: 'info', msg: 'order processed', orderId: 'order-1', customer: 'ada@example.com', items: 2, total: 30, redelivered: false },
    { level: 'info', msg: 'duplicate order skipped', orderId: 'order-1', redelivered: true },
  ]);
});

test('a message that is not an order is rejected without requeue (it can never succeed) and logged with the reason', async () => {
  const { lines, write } = capture();
  expect(await handleDelivery(delivery('{"id": "x"}'), new InMemoryProcessedOrders(), createLogger('info', write))).toBe('reject');
  expect(lines()[0]).toMatchObject({ level: 'error', msg: 'dropping a message that is not an order', messageId: 'm-1', reason: 'customer must be a string' });
});

test('a failure while processing requeues the order, and the redelivery processes it', async () => {
  const store = new InMemoryProcessedOrders();
  const { lines, write } = capture();
  const log = createLogger('info', write);
  const failing = () => {
    throw new Error('mail server unreachable');
  };
  expect(await handleDelivery(delivery(JSON.stringify(ORDER)), store, log, failing)).toBe('requeue');
  expect(lines()[0]).toMatchObject({ level: 'error', msg: 'processing failed; requeueing the order', orderId: 'order-1', error: 'mail server unreachable' });
  const processed: string[] = [];
  expect(await handleDelivery(delivery(JSON.stringify(ORDER), true), store, log, (order) => void processed.push(order.id))).toBe('ack');
  expect(processed).toEqual(['order-1']);
});
