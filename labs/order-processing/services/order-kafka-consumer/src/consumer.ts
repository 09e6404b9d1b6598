/**
 * The Kafka consumer: the course's analytics pipeline, here a running count and revenue of the orders
 * seen. At least once: kafkajs commits a message's offset only after `eachMessage` has returned, so
 * an order whose consumer died first is read again; idempotent by order id, so it is counted once.
 */
import type { ConsumerConfig, EachMessagePayload, Kafka } from 'kafkajs';
import { errorText, type Logger } from '../../shared/src/log';
import { type Order, parseOrderMessage } from '../../shared/src/order';
import { processOnce, type ProcessedOrders } from '../../shared/src/processed-orders';
import { retryUntilDone, type Retrying } from '../../shared/src/retry';

/** kafkajs's consumer settings for group `groupId`. */
export function consumerConfig(groupId: string): ConsumerConfig {
  return {
    groupId,
    // A consumer that stops heartbeating for 30 s (a killed pod) loses its partitions to the others.
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    allowAutoTopicCreation: true,
  };
}

/** The analytics: orders counted and their revenue, in cents to stay exact. */
export class OrderStats {
  orders = 0;
  private revenueCents = 0;

  record(order: Order): void {
    this.orders += 1;
    this.revenueCents += Math.round(order.total * 100);
  }

  get revenue(): number {
    return this.revenueCents / 100;
  }
}

/** One message: count the order once. A message that is not an order is logged and skipped (it can never succeed). */
export async function handleMessage(payload: Pick<EachMessagePayload, 'topic' | 'partition' | 'message'>, processed: ProcessedOrders, stats: OrderStats, log: Logger): Promise<void> {
  const { partition, message } = payload;
  const at = { partition, offset: message.offset };
  const parsed = parseOrderMessage(message.value);
  if (!parsed.ok) {
    log.error('skipping a message that is not an order', { ...at, key: message.key?.toString() ?? null, reason: parsed.error });
    return;
  }
  const order = parsed.value;
  const outcome = await processOnce(processed, order, (o) => stats.record(o));
  if (outcome === 'duplicate') log.info('duplicate order skipped', { orderId: order.id, ...at });
  else log.info('order recorded', { orderId: order.id, total: order.total, ...at, orders: stats.orders, revenue: stats.revenue });
}

/** What the consumer needs of kafkajs's `Kafka`: tests pass an in-process fake. */
export type KafkaClient = Pick<Kafka, 'consumer'>;

export interface RunningConsumer {
  isUp(): boolean;
  /** Finishes the message in hand, commits its offset, leaves the group. */
  stop(): Promise<void>;
}

export function startKafkaConsumer(kafka: KafkaClient, topic: string, groupId: string, processed: ProcessedOrders, log: Logger, stats = new OrderStats()): RunningConsumer {
  const consumer = kafka.consumer(consumerConfig(groupId));
  let joined = false;
  let stopping = false;
  let starting: Retrying;
  const start = () =>
    retryUntilDone(
      'consume from Kafka',
      async () => {
        await consumer.connect();
        // A new group starts at the oldest order still in the topic, so orders posted before it first ran are counted too.
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({ eachMessage: (payload) => handleMessage(payload, processed, stats, log) });
      },
      log,
    );
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true;
    log.info('joined the consumer group', { groupId, topic, memberId: payload.memberId });
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    log.error('the Kafka consumer crashed', { error: errorText(payload.error), restarting: payload.restart });
    // kafkajs restarts by itself after retriable errors; after the others, start over.
    if (!payload.restart && !stopping) starting = start();
  });
  consumer.on(consumer.events.STOP, () => {
    joined = false;
  });
  starting = start();
  return {
    isUp: () => joined,
    stop: async () => {
      stopping = true;
      starting.stop();
      await consumer.disconnect();
    },
  };
}
