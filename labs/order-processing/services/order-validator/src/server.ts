/**
 * The validator: a gRPC server with orders.v1.OrderValidator and the standard health service on one
 * port. Each call is logged with its outcome; bad orders are an answer (valid: false and a reason),
 * not a gRPC error, so the front end can tell "rejected" from "validator down".
 */
import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData, status as GrpcStatus } from '@grpc/grpc-js';
import type { Logger } from '../../shared/src/log';
import { parseOrder } from '../../shared/src/order';
import { loadProtos, ORDER_VALIDATOR_SERVICE, type ValidateOrderRequest, type ValidateOrderResponse } from '../../shared/src/proto';
import type { AppDefinition, RunningApp } from '../../shared/src/service';
import { readValidatorConfig, VALIDATOR_DESCRIPTION, type ValidatorConfig } from './config';
import { HealthService } from './health';
import { rejectionReason } from './rules';

/** Calls still running this long after SIGTERM are cancelled. */
const DRAIN_MS = 10_000;

export interface ValidatorServer {
  readonly server: Server;
  readonly health: HealthService;
  readonly port: number;
  /** NOT_SERVING, then finishes the calls in flight (cancelling them after 10 s) and closes the port. */
  stop(): Promise<void>;
}

export function validate(request: ValidateOrderRequest): ValidateOrderResponse {
  const parsed = parseOrder(request.order);
  const reason = parsed.ok ? rejectionReason(parsed.value) : parsed.error;
  return reason === undefined ? { valid: true, reason: '' } : { valid: false, reason };
}

/** Starts the validator on `host:port` (port 0: a free one). */
export async function startValidatorServer(port: number, log: Logger, host = '0.0.0.0'): Promise<ValidatorServer> {
  const protos = loadProtos();
  const health = new HealthService();
  const server = new Server();
  server.addService(protos.OrderValidator.service, {
    ValidateOrder: (call: ServerUnaryCall<ValidateOrderRequest, ValidateOrderResponse>, callback: sendUnaryData<ValidateOrderResponse>) => {
      if (!call.request.order) {
        callback({ code: GrpcStatus.INVALID_ARGUMENT, details: 'order is required' });
        return;
      }
      const answer = validate(call.request);
      const orderId = call.request.order.id;
      if (answer.valid) log.info('order valid', { orderId });
      else log.info('order rejected', { orderId, reason: answer.reason });
      callback(null, answer);
    },
  });
  server.addService(protos.Health.service, health.implementation);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, actual) => (err ? reject(err) : resolve(actual))),
  );
  health.set('', 'SERVING');
  health.set(ORDER_VALIDATOR_SERVICE, 'SERVING');
  log.info('validator listening', { port: bound });
  return {
    server,
    health,
    port: bound,
    stop: async () => {
      health.shutdown();
      const forced = setTimeout(() => server.forceShutdown(), DRAIN_MS);
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      clearTimeout(forced);
    },
  };
}

export const validatorApp: AppDefinition<ValidatorConfig> = {
  name: 'order-validator',
  description: VALIDATOR_DESCRIPTION,
  readConfig: readValidatorConfig,
  start: async (config, log): Promise<RunningApp> => startValidatorServer(config.port, log),
};
