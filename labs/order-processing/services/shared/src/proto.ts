/**
 * The one proto folder (services/proto), loaded at run time with @grpc/proto-loader: the front end's
 * client and the validator's server read the same files. The folder sits two levels above this file
 * both in the repository (services/shared/src) and in the images (/app/shared/src, /app/proto).
 */
import { type GrpcObject, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import type { Order } from './order';

export const PROTO_DIR = join(__dirname, '..', '..', 'proto');

/** Field names in lowerCamelCase (unit_price is unitPrice, as in the HTTP API), enums as their names, unset fields as their defaults. */
export const PROTO_LOADER_OPTIONS = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_DIR] };

export const ORDER_VALIDATOR_SERVICE = 'orders.v1.OrderValidator';
export const HEALTH_SERVICE = 'grpc.health.v1.Health';

export interface ValidateOrderRequest {
  order: Order;
}
export interface ValidateOrderResponse {
  valid: boolean;
  reason: string;
}
export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
export interface HealthCheckRequest {
  service: string;
}
export interface HealthCheckResponse {
  status: ServingStatus;
}

export interface OrderProtos {
  readonly OrderValidator: ServiceClientConstructor;
  readonly Health: ServiceClientConstructor;
}

/** Loads orders/v1/orders.proto and grpc/health/v1/health.proto. */
export function loadProtos(): OrderProtos {
  const definition = loadSync(['orders/v1/orders.proto', 'grpc/health/v1/health.proto'], PROTO_LOADER_OPTIONS);
  const root = loadPackageDefinition(definition);
  const service = (path: string) => path.split('.').reduce<GrpcObject>((node, part) => node[part] as GrpcObject, root) as unknown as ServiceClientConstructor;
  return { OrderValidator: service(ORDER_VALIDATOR_SERVICE), Health: service(HEALTH_SERVICE) };
}
