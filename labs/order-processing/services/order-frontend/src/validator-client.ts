/** The validator over gRPC (orders.v1.OrderValidator), and its health service for the front end's readiness. */
import { type Client, credentials, type ServiceError, status as GrpcStatus } from '@grpc/grpc-js';
import type { Order } from '../../shared/src/order';
import { type HealthCheckRequest, type HealthCheckResponse, loadProtos, ORDER_VALIDATOR_SERVICE, type ValidateOrderRequest, type ValidateOrderResponse } from '../../shared/src/proto';
import { DependencyUnavailable, type OrderValidation } from './dependencies';

/** A validation that takes longer than this is treated as the validator being down (503). */
export const VALIDATE_DEADLINE_MS = 3_000;
const HEALTH_DEADLINE_MS = 1_000;

type Unary<Req, Res> = (request: Req, options: { deadline: Date }, callback: (err: ServiceError | null, response?: Res) => void) => void;

function call<Req, Res>(method: Unary<Req, Res>, client: Client, request: Req, timeoutMs: number): Promise<Res> {
  return new Promise((resolve, reject) =>
    method.call(client, request, { deadline: new Date(Date.now() + timeoutMs) }, (err, response) => (err ? reject(err) : resolve(response!))),
  );
}

/** `address` is host:port, e.g. order-validator:50051 (plaintext inside the cluster's network policies). */
export function createValidatorClient(address: string): OrderValidation {
  const protos = loadProtos();
  const validator = new protos.OrderValidator(address, credentials.createInsecure());
  // The health client shares the validator client's channel: one connection to the validator.
  const health = new protos.Health(address, credentials.createInsecure(), { channelOverride: validator.getChannel() });
  const validateOrder = (validator as unknown as { ValidateOrder: Unary<ValidateOrderRequest, ValidateOrderResponse> }).ValidateOrder;
  const check = (health as unknown as { Check: Unary<HealthCheckRequest, HealthCheckResponse> }).Check;
  return {
    validate: async (order: Order) => {
      try {
        return await call(validateOrder, validator, { order }, VALIDATE_DEADLINE_MS);
      } catch (err) {
        const { code, details } = err as Partial<ServiceError>;
        if (typeof code !== 'number') throw err;
        throw new DependencyUnavailable('validator', `${GrpcStatus[code]}: ${details}`);
      }
    },
    isServing: async () => {
      try {
        return (await call(check, health, { service: ORDER_VALIDATOR_SERVICE }, HEALTH_DEADLINE_MS)).status === 'SERVING';
      } catch {
        return false;
      }
    },
    close: () => validator.close(),
  };
}
