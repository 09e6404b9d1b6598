/** The Kafka consumer's configuration: environment variables only, validated at start. */
import { port, readEnv, type ConfigOf, type FileReader } from '../../shared/src/env';
import { httpListener } from '../../shared/src/http';
import { KAFKA_ENV, KAFKA_GROUP_ID } from '../../shared/src/kafka';
import { LOG_LEVEL } from '../../shared/src/log';
import { type AppDescription, describeApp } from '../../shared/src/service';

export const KAFKA_CONSUMER_ENV = {
  healthPort: port('HEALTH_PORT', '8080'),
  kafka: KAFKA_ENV,
  groupId: KAFKA_GROUP_ID,
  logLevel: LOG_LEVEL,
};
export type KafkaConsumerConfig = ConfigOf<typeof KAFKA_CONSUMER_ENV>;

export function readKafkaConsumerConfig(env: NodeJS.ProcessEnv, files?: FileReader): KafkaConsumerConfig {
  return readEnv(KAFKA_CONSUMER_ENV, env, files);
}

/** Only the health routes, on HEALTH_PORT. */
export const KAFKA_CONSUMER_DESCRIPTION: AppDescription = describeApp(KAFKA_CONSUMER_ENV, [httpListener('HEALTH_PORT')]);
