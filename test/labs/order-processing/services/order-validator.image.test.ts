/** The order-validator image, built offline from its Dockerfile: see build-case.ts and image-build.ts for what that proves and why. */
import { validatorApp } from '../../../../labs/order-processing/services/order-validator/src/server';
import { dockerfileTests } from './build-case';

dockerfileTests('order-validator', validatorApp.description);
