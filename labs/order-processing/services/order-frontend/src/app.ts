/** The front end as it runs in its pod: real clients, the HTTP server on PORT, graceful stop. */
import { Kafka } from 'kafkajs';
import { closeServer, listen } from '../../shared/src/http';
import { kafkaConfig } from '../../shared/src/kafka';
import type { AppDefinition } from '../../shared/src/service';
import { createFrontendServer } from './api';
import { FRONTEND_DESCRIPTION, type FrontendConfig, readFrontendConfig } from './config';
import { createKafkaPublisher, openRabbitMqPublisher } from './publishers';
import { createValidatorClient } from './validator-client';

export const frontendApp: AppDefinition<FrontendConfig> = {
  name: 'order-frontend',
  description: FRONTEND_DESCRIPTION,
  readConfig: readFrontendConfig,
  start: async (config, log) => {
    const validator = createValidatorClient(config.validatorAddress);
    const rabbitmq = await openRabbitMqPublisher(config.rabbitmq, log);
    const kafka = createKafkaPublisher(new Kafka(kafkaConfig('order-frontend', config.kafka.brokers, config.logLevel, log)), config.kafka.topic, log);
    const server = createFrontendServer({ validator, publishers: [rabbitmq, kafka], log });
    const port = await listen(server, config.port);
    log.info('front end listening', { port });
    return {
      // No new requests; those in flight finish (they publish or answer 503), then the clients close.
      stop: async () => {
        await closeServer(server);
        await Promise.all([rabbitmq.close(), kafka.close()]);
        validator.close();
      },
    };
  },
};
