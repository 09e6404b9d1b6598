/** The validator's configuration: environment variables only, validated at start. */
import { port, readEnv, type ConfigOf, type FileReader } from '../../shared/src/env';
import { LOG_LEVEL } from '../../shared/src/log';
import { ORDER_VALIDATOR_SERVICE } from '../../shared/src/proto';
import { type AppDescription, describeApp } from '../../shared/src/service';

export const VALIDATOR_ENV = {
  port: port('PORT', '50051'),
  logLevel: LOG_LEVEL,
};
export type ValidatorConfig = ConfigOf<typeof VALIDATOR_ENV>;

export function readValidatorConfig(env: NodeJS.ProcessEnv, files?: FileReader): ValidatorConfig {
  return readEnv(VALIDATOR_ENV, env, files);
}

/** gRPC on PORT, with the standard health service reporting the server ("") and the validator SERVING. */
export const VALIDATOR_DESCRIPTION: AppDescription = describeApp(VALIDATOR_ENV, [{ variable: 'PORT', protocol: 'grpc', healthServices: ['', ORDER_VALIDATOR_SERVICE] }]);
