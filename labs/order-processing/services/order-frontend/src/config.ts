/** The front end's configuration: environment variables only, validated at start. */
import { hostPort, port, readEnv, type ConfigOf, type FileReader } from '../../shared/src/env';
import { httpListener } from '../../shared/src/http';
import { KAFKA_ENV } from '../../shared/src/kafka';
import { LOG_LEVEL } from '../../shared/src/log';
import { RABBITMQ_ENV } from '../../shared/src/rabbitmq';
import { type AppDescription, describeApp } from '../../shared/src/service';

export const FRONTEND_ENV = {
  port: port('PORT', '5000'),
  validatorAddress: hostPort('VALIDATOR_ADDRESS', 'order-validator:50051'),
  rabbitmq: RABBITMQ_ENV,
  kafka: KAFKA_ENV,
  logLevel: LOG_LEVEL,
};
export type FrontendConfig = ConfigOf<typeof FRONTEND_ENV>;

export function readFrontendConfig(env: NodeJS.ProcessEnv, files?: FileReader): FrontendConfig {
  return readEnv(FRONTEND_ENV, env, files);
}

/** HTTP on PORT: the API and the health routes on the same port. */
export const FRONTEND_DESCRIPTION: AppDescription = describeApp(FRONTEND_ENV, [httpListener('PORT')]);
