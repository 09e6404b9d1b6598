/** The RabbitMQ consumer as it runs in its pod: the consumer, the health port, graceful stop. */
import { withHealthPort } from '../../shared/src/http';
import { InMemoryProcessedOrders } from '../../shared/src/processed-orders';
import type { AppDefinition } from '../../shared/src/service';
import { RABBITMQ_CONSUMER_DESCRIPTION, type RabbitMqConsumerConfig, readRabbitMqConsumerConfig } from './config';
import { startRabbitMqConsumer } from './consumer';

export const rabbitmqConsumerApp: AppDefinition<RabbitMqConsumerConfig> = {
  name: 'order-rabbitmq-consumer',
  description: RABBITMQ_CONSUMER_DESCRIPTION,
  readConfig: readRabbitMqConsumerConfig,
  start: async (config, log) => {
    const consumer = await startRabbitMqConsumer(config.rabbitmq, new InMemoryProcessedOrders(), log);
    return withHealthPort(consumer, 'rabbitmq', config.healthPort, log);
  },
};
