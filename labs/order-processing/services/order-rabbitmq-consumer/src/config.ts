/** The RabbitMQ consumer's configuration: environment variables only, validated at start. */
import { port, readEnv, type ConfigOf, type FileReader } from '../../shared/src/env';
import { httpListener } from '../../shared/src/http';
import { LOG_LEVEL } from '../../shared/src/log';
import { RABBITMQ_ENV } from '../../shared/src/rabbitmq';
import { type AppDescription, describeApp } from '../../shared/src/service';

export const RABBITMQ_CONSUMER_ENV = {
  healthPort: port('HEALTH_PORT', '8080'),
  rabbitmq: RABBITMQ_ENV,
  logLevel: LOG_LEVEL,
};
export type RabbitMqConsumerConfig = ConfigOf<typeof RABBITMQ_CONSUMER_ENV>;

export function readRabbitMqConsumerConfig(env: NodeJS.ProcessEnv, files?: FileReader): RabbitMqConsumerConfig {
  return readEnv(RABBITMQ_CONSUMER_ENV, env, files);
}

/** Only the health routes, on HEALTH_PORT. */
export const RABBITMQ_CONSUMER_DESCRIPTION: AppDescription = describeApp(RABBITMQ_CONSUMER_ENV, [httpListener('HEALTH_PORT')]);
