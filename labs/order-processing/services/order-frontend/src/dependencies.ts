/**
 * What the front end needs from the rest of the system, as interfaces: the gRPC validator and the two
 * brokers. app.ts wires the real clients; the tests pass fakes or real servers.
 */
import type { Order } from '../../shared/src/order';
import type { ValidateOrderResponse } from '../../shared/src/proto';

/** A dependency that cannot take the order now: the front end answers 503. */
export class DependencyUnavailable extends Error {
  constructor(readonly dependency: string, detail: string) {
    super(`${dependency} is unavailable: ${detail}`);
    this.name = 'DependencyUnavailable';
  }
}

export interface OrderValidation {
  /** The validator's verdict; throws DependencyUnavailable when it cannot be asked. */
  validate(order: Order): Promise<ValidateOrderResponse>;
  /** True when the validator's health service says SERVING. */
  isServing(): Promise<boolean>;
  close(): void;
}

export interface OrderPublisher {
  /** Its name in readiness checks and errors: `rabbitmq`, `kafka`. */
  readonly dependency: string;
  isUp(): boolean;
  /** Resolves once the broker has the order; throws DependencyUnavailable when it does not. */
  publish(order: Order): Promise<void>;
  close(): Promise<void>;
}

/** Rejects with DependencyUnavailable when `work` takes longer than `ms`. */
export function within<T>(work: Promise<T>, ms: number, dependency: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyUnavailable(dependency, `no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
