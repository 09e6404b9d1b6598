/**
 * The Kafka consumer over kafkajs's consumer API on an in-process fake (no Kafka broker here): the
 * exact consumer configuration, the log line per order, at least once (a consumer killed before its
 * offset is committed leaves the order to the next), and idempotency by order id.
 */
import { consumerConfig, handleMessage, type KafkaClient, OrderStats, startKafkaConsumer } from '../../../../labs/order-processing/services/order-kafka-consumer/src/consumer';
import { createLogger } from '../../../../labs/order-processing/services/shared/src/log';
import { InMemoryProcessedOrders } from '../../../../labs/order-processing/services/shared/src/processed-orders';
import { FakeKafka } from './fake-kafka';
import { capture, ORDER } from './fixtures';

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};
const publish = (kafka: FakeKafka, order: object, key = (order as { id: string }).id) => kafka.append('orders', { key, value: JSON.stringify(order), headers: {} });

test('consumer configuration: its group, a 30 s session, heartbeats every 3 s, topic auto-creation', () => {
  expect(consumerConfig('order-analytics')).toEqual({ groupId: 'order-analytics', sessionTimeout: 30_000, heartbeatInterval: 3_000, allowAutoTopicCreation: true });
});

test('each order is one JSON log line with its offset and the running analytics; a message that is not an order is skipped with the reason', async () => {
  const { lines, write } = capture();
  const log = createLogger('info', write);
  const stats = new OrderStats();
  const store = new InMemoryProcessedOrders();
  const message = (value: string, offset: string) => ({ topic: 'orders', partition: 0, message: { key: Buffer.from('k'), value: Buffer.from(value), offset, headers: {}, timestamp: '0', attributes: 0 } });
  await handleMessage(message(JSON.stringify(ORDER), '0'), store, stats, log);
  await handleMessage(message(JSON.stringify({ ...ORDER, id: 'order-2', total: 0.1, items: [{ sku: 'a', quantity: 1, unitPrice: 0.1 }] }), '1'), store, stats, log);
  await handleMessage(message('not json', '2'), store, stats, log);
  expect(lines().map(({ time: _time, ...line }) => line)).toEqual([
    { level: 'info', msg: 'order recorded', orderId: 'order-1', total: 30, partition: 0, offset: '0', orders: 1, revenue: 30 },
    { level: 'info', msg: 'order recorded', orderId: 'order-2', total: 0.1, partition: 0, offset: '1', orders: 2, revenue: 30.1 },
    { level: 'error', msg: 'skipping a message that is not an order', partition: 0, offset: '2', key: 'k', reason: 'the message is not JSON' },
  ]);
});

describe('running against kafkajs\'s consumer API', () => {
  test('joins its group (ready), reads from the oldest order, counts each order id once, leaves on stop', async () => {
    const kafka = new FakeKafka();
    publish(kafka, ORDER);
    publish(kafka, ORDER); // the front end retried after a 503: the same order twice
    const { lines, write } = capture();
    const stats = new OrderStats();
    const consumer = startKafkaConsumer(kafka as unknown as KafkaClient, 'orders', 'order-analytics', new InMemoryProcessedOrders(), createLogger('info', write), stats);
    await until(() => kafka.committed.get('order-analytics/orders') === 2);
    expect(consumer.isUp()).toBe(true);
    expect(kafka.consumerConfigs).toEqual([consumerConfig('order-analytics')]);
    expect(stats.orders).toBe(1);
    expect(lines().map((l) => l.msg)).toEqual(['joined the consumer group', 'order recorded', 'duplicate order skipped']);
    await consumer.stop();
    expect(consumer.isUp()).toBe(false);
  });

  test('at least once: a consumer killed before its offset is committed leaves the order to the next one, which records it', async () => {
    const kafka = new FakeKafka();
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const first = startKafkaConsumer(kafka as unknown as KafkaClient, 'orders', 'order-analytics', new InMemoryProcessedOrders(), createLogger('error', () => undefined), {
      record: () => stuck,
    } as unknown as OrderStats);
    await until(() => first.isUp());
    publish(kafka, ORDER);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The pod dies mid-order.
    kafka.consumers[0].kill();
    release();
    expect(kafka.committed.get('order-analytics/orders')).toBeUndefined();

    const stats = new OrderStats();
    const second = startKafkaConsumer(kafka as unknown as KafkaClient, 'orders', 'order-analytics', new InMemoryProcessedOrders(), createLogger('error', () => undefined), stats);
    await until(() => kafka.committed.get('order-analytics/orders') === 1);
    expect(stats.orders).toBe(1);
    await second.stop();
  });

  test('a failure while processing is retried from the last committed offset, and the order counted once', async () => {
    const kafka = new FakeKafka();
    publish(kafka, ORDER);
    const stats = new OrderStats();
    const record = stats.record.bind(stats);
    let failures = 1;
    stats.record = (order) => {
      if (failures-- > 0) throw new Error('analytics store timed out');
      record(order);
    };
    const { lines, write } = capture();
    const consumer = startKafkaConsumer(kafka as unknown as KafkaClient, 'orders', 'order-analytics', new InMemoryProcessedOrders(), createLogger('info', write), stats);
    await until(() => kafka.committed.get('order-analytics/orders') === 1);
    await consumer.stop();
    expect(stats.orders).toBe(1);
    expect(lines().map((l) => l.msg)).toEqual(['joined the consumer group', 'the Kafka consumer crashed', 'order recorded']);
  });

  test('waits (not ready) while Kafka is down, retrying, and consumes once it is up', async () => {
    const kafka = new FakeKafka();
    kafka.reachable = false;
    const { lines, write } = capture();
    const consumer = startKafkaConsumer(kafka as unknown as KafkaClient, 'orders', 'order-analytics', new InMemoryProcessedOrders(), createLogger('info', write));
    await until(() => lines().length > 0);
    expect(consumer.isUp()).toBe(false);
    expect(lines()[0]).toMatchObject({ level: 'warn', msg: 'cannot consume from Kafka; retrying' });
    kafka.reachable = true;
    await until(() => consumer.isUp());
    await consumer.stop();
  });
});
