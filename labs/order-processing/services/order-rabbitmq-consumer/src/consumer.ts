/**
 * The RabbitMQ consumer: the course's "immediate tasks" (e.g. notifications) for each order. At least
 * once: a message is acked only after it was processed, so one whose consumer died first is
 * redelivered; idempotent by order id, so a redelivered or re-posted order is processed once.
 */
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { errorText, type Logger } from '../../shared/src/log';
import { type Order, parseOrderMessage } from '../../shared/src/order';
import { processOnce, type ProcessedOrders } from '../../shared/src/processed-orders';
import { declareOrdersQueue, openRabbitMq, restartOnChannelClose, type RabbitMqSettings } from '../../shared/src/rabbitmq';

/** Orders handed to this consumer before it acks the first: enough to keep it busy, few to redeliver after a crash. */
export const PREFETCH = 10;

export type Verdict = 'ack' | 'reject' | 'requeue';

/** The order's immediate task. Here it is the log line; a real one would send the notification. */
export function notify(order: Order, log: Logger, redelivered: boolean): void {
  log.info('order processed', { orderId: order.id, customer: order.customer, items: order.items.length, total: order.total, redelivered });
}

/**
 * What to do with one delivery: ack once processed (or when it is a duplicate); reject a message that
 * is not an order (it can never succeed, and requeueing it would loop forever); requeue when
 * processing failed, so it is tried again.
 */
export async function handleDelivery(message: ConsumeMessage, processed: ProcessedOrders, log: Logger, process = notify): Promise<Verdict> {
  const parsed = parseOrderMessage(message.content);
  if (!parsed.ok) {
    log.error('dropping a message that is not an order', { messageId: message.properties.messageId, reason: parsed.error });
    return 'reject';
  }
  const order = parsed.value;
  try {
    const outcome = await processOnce(processed, order, (o) => process(o, log, message.fields.redelivered));
    if (outcome === 'duplicate') log.info('duplicate order skipped', { orderId: order.id, redelivered: message.fields.redelivered });
    return 'ack';
  } catch (err) {
    log.error('processing failed; requeueing the order', { orderId: order.id, error: errorText(err) });
    return 'requeue';
  }
}

export interface RunningConsumer {
  isUp(): boolean;
  /** Stops taking messages, finishes those in hand (acking them), then closes the connection; RabbitMQ requeues any unacked. */
  stop(): Promise<void>;
}

export async function startRabbitMqConsumer(settings: RabbitMqSettings, processed: ProcessedOrders, log: Logger, process = notify): Promise<RunningConsumer> {
  let stopping = false;
  let current: { channel: Channel; consumerTag: string } | undefined;
  const inFlight = new Set<Promise<void>>();

  const deliver = (channel: Channel, model: ChannelModel) => (message: ConsumeMessage | null) => {
    if (message === null) {
      // The broker cancelled the consumer (e.g. the queue was deleted): start over on a new connection.
      log.warn('RabbitMQ cancelled the consumer; reconnecting', { queue: settings.queue });
      model.close().catch(() => undefined);
      return;
    }
    const work = handleDelivery(message, processed, log, process).then((verdict) => {
      try {
        if (verdict === 'ack') channel.ack(message);
        else channel.nack(message, false, verdict === 'requeue');
      } catch (err) {
        // The channel closed first: RabbitMQ requeues the message by itself.
        log.warn('could not settle the message; RabbitMQ will redeliver it', { error: errorText(err) });
      }
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const link = await openRabbitMq(settings, 'order-rabbitmq-consumer', log, async (model) => {
    const channel = await model.createChannel();
    restartOnChannelClose(channel, model, log, () => stopping);
    await channel.prefetch(PREFETCH);
    await declareOrdersQueue(channel, settings.queue);
    const { consumerTag } = await channel.consume(settings.queue, deliver(channel, model), { noAck: false });
    current = { channel, consumerTag };
    channel.on('close', () => {
      if (current?.channel === channel) current = undefined;
    });
    log.info('consuming', { queue: settings.queue, prefetch: PREFETCH });
  });

  return {
    isUp: () => link.isUp() && current !== undefined,
    stop: async () => {
      stopping = true;
      const open = current;
      if (open) await open.channel.cancel(open.consumerTag).catch(() => undefined);
      await Promise.all(inFlight);
      // Closing the channel first waits for the broker's close-ok, so the acks sent before it are
      // settled; closing the connection straight away could drop them, and the orders would come back.
      if (open) await open.channel.close().catch(() => undefined);
      await link.close();
    },
  };
}
