/** The order-frontend image, built offline from its Dockerfile: see build-case.ts and image-build.ts for what that proves and why. */
import { frontendApp } from '../../../../labs/order-processing/services/order-frontend/src/app';
import { dockerfileTests } from './build-case';

dockerfileTests('order-frontend', frontendApp.description);
