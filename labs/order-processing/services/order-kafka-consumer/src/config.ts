/** The Kafka consumer's configuration: environment variables only, validated at start. */
import { describeEnv, port, readEnv, type ConfigOf, type FileReader } from '../../shared/src/env';
import { LIVENESS_PATH, READINESS_PATH } from '../../shared/src/http';
import { KAFKA_ENV, KAFKA_GROUP_ID } from '../../shared/src/kafka';
import { LOG_LEVEL } from '../../shared/src/log';
import { type AppDescription, WRITABLE_PATHS } from '../../shared/src/service';

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
export const KAFKA_CONSUMER_DESCRIPTION: AppDescription = {
  env: describeEnv(KAFKA_CONSUMER_ENV),
  listeners: [{ variable: 'HEALTH_PORT', protocol: 'http', liveness: LIVENESS_PATH, readiness: READINESS_PATH }],
  writablePaths: WRITABLE_PATHS,
};
