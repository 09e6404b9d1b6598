/**
 * The front end's two publishers. RabbitMQ: persistent messages on a confirm channel, published as
 * mandatory, so 202 means the broker has the order in the queue. Kafka: acks from all in-sync
 * replicas, the order id as the message key (one order always lands on the same partition).
 */
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { type Kafka, Partitioners, type ProducerConfig } from 'kafkajs';
import type { Logger } from '../../shared/src/log';
import type { Order } from '../../shared/src/order';
import { declareOrdersQueue, openRabbitMq, restartOnChannelClose, type RabbitMqSettings } from '../../shared/src/rabbitmq';
import { retryUntilDone } from '../../shared/src/retry';
import { DependencyUnavailable, type OrderPublisher, within } from './dependencies';

/** A broker that has not confirmed an order after this long is treated as down (503). */
export const PUBLISH_TIMEOUT_MS = 5_000;

export async function openRabbitMqPublisher(settings: RabbitMqSettings, log: Logger): Promise<OrderPublisher> {
  let channel: ConfirmChannel | undefined;
  let closing = false;
  const returned = new Set<string>();
  const link = await openRabbitMq(settings, 'order-frontend', log, async (model: ChannelModel) => {
    const opened = await model.createConfirmChannel();
    await declareOrdersQueue(opened, settings.queue);
    restartOnChannelClose(opened, model, log, () => closing);
    opened.on('close', () => {
      if (channel === opened) channel = undefined;
    });
    // A mandatory message that reaches no queue comes back (before its confirm) instead of vanishing.
    opened.on('return', (message: Message) => returned.add(String(message.properties.messageId)));
    channel = opened;
  });
  const publish = (order: Order) =>
    new Promise<void>((resolve, reject) => {
      const open = channel;
      if (!open || !link.isUp()) {
        reject(new DependencyUnavailable('rabbitmq', 'not connected'));
        return;
      }
      const content = Buffer.from(JSON.stringify(order));
      const properties = { persistent: true, mandatory: true, contentType: 'application/json', messageId: order.id, appId: 'order-frontend' };
      try {
        open.sendToQueue(settings.queue, content, properties, (err: unknown) => {
          if (err) reject(new DependencyUnavailable('rabbitmq', 'the broker did not confirm the order'));
          else if (returned.delete(order.id)) reject(new DependencyUnavailable('rabbitmq', `no queue ${settings.queue} to route the order to`));
          else resolve();
        });
      } catch (err) {
        reject(new DependencyUnavailable('rabbitmq', (err as Error).message));
      }
    });
  return {
    dependency: 'rabbitmq',
    isUp: () => link.isUp() && channel !== undefined,
    publish: (order) => within(publish(order), PUBLISH_TIMEOUT_MS, 'rabbitmq'),
    close: async () => {
      closing = true;
      await link.close();
    },
  };
}

/**
 * kafkajs's producer settings. Not kafkajs's `idempotent` mode (marked experimental, and it retries
 * forever): a retried send may duplicate an order, which the consumers skip by order id.
 */
export const PRODUCER_CONFIG: ProducerConfig = {
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: true,
  idempotent: false,
};

/** What the Kafka publisher needs of kafkajs's `Kafka`: tests pass an in-process fake. */
export type KafkaClient = Pick<Kafka, 'producer'>;

export function createKafkaPublisher(kafka: KafkaClient, topic: string, log: Logger): OrderPublisher {
  const producer = kafka.producer(PRODUCER_CONFIG);
  let connected = false;
  producer.on(producer.events.CONNECT, () => {
    connected = true;
    log.info('connected to Kafka', { topic });
  });
  producer.on(producer.events.DISCONNECT, () => {
    connected = false;
  });
  const connecting = retryUntilDone('connect to Kafka', () => producer.connect(), log);
  const send = async (order: Order) => {
    if (!connected) throw new DependencyUnavailable('kafka', 'not connected');
    try {
      await producer.send({ topic, acks: -1, messages: [{ key: order.id, value: JSON.stringify(order), headers: { 'content-type': 'application/json' } }] });
    } catch (err) {
      throw new DependencyUnavailable('kafka', (err as Error).message);
    }
  };
  return {
    dependency: 'kafka',
    isUp: () => connected,
    publish: (order) => within(send(order), PUBLISH_TIMEOUT_MS, 'kafka'),
    close: async () => {
      connecting.stop();
      await producer.disconnect();
    },
  };
}
