/** The order-kafka-consumer image, built offline from its Dockerfile: see build-case.ts and image-build.ts for what that proves and why. */
import { kafkaConsumerApp } from '../../../../labs/order-processing/services/order-kafka-consumer/src/app';
import { dockerfileTests } from './build-case';

dockerfileTests('order-kafka-consumer', kafkaConsumerApp.description);
