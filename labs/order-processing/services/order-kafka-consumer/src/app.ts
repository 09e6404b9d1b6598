/** The Kafka consumer as it runs in its pod: the consumer, the health port, graceful stop. */
import { Kafka } from 'kafkajs';
import { withHealthPort } from '../../shared/src/http';
import { kafkaConfig } from '../../shared/src/kafka';
import { InMemoryProcessedOrders } from '../../shared/src/processed-orders';
import type { AppDefinition } from '../../shared/src/service';
import { KAFKA_CONSUMER_DESCRIPTION, type KafkaConsumerConfig, readKafkaConsumerConfig } from './config';
import { startKafkaConsumer } from './consumer';

export const kafkaConsumerApp: AppDefinition<KafkaConsumerConfig> = {
  name: 'order-kafka-consumer',
  description: KAFKA_CONSUMER_DESCRIPTION,
  readConfig: readKafkaConsumerConfig,
  start: async (config, log) => {
    const kafka = new Kafka(kafkaConfig('order-kafka-consumer', config.kafka.brokers, config.logLevel, log));
    const consumer = startKafkaConsumer(kafka, config.kafka.topic, config.groupId, new InMemoryProcessedOrders(), log);
    return withHealthPort(consumer, 'kafka', config.healthPort, log);
  },
};
