/** The order-rabbitmq-consumer image, built offline from its Dockerfile: see build-case.ts and image-build.ts for what that proves and why. */
import { rabbitmqConsumerApp } from '../../../../labs/order-processing/services/order-rabbitmq-consumer/src/app';
import { dockerfileTests } from './build-case';

dockerfileTests('order-rabbitmq-consumer', rabbitmqConsumerApp.description);
