/**
 * The standard gRPC health service (grpc.health.v1.Health, Check and Watch), as
 * https://github.com/grpc/grpc/blob/master/doc/health-checking.md specifies it: the kubelet's `grpc:`
 * probes call Check with the service name the probe sets ("" when none: the whole server).
 */
import { type ServerUnaryCall, type ServerWritableStream, type sendUnaryData, status as GrpcStatus, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { HealthCheckRequest, HealthCheckResponse, ServingStatus } from '../../shared/src/proto';

export class HealthService {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Set<ServerWritableStream<HealthCheckRequest, HealthCheckResponse>>();

  /** Sets a service's status ("" is the whole server) and tells every Watch on it. */
  set(service: string, status: ServingStatus): void {
    this.statuses.set(service, status);
    for (const call of this.watchers) if (call.request.service === service) call.write({ status });
  }

  /** Every service NOT_SERVING, then ends the Watch streams so the server can finish shutting down. */
  shutdown(): void {
    for (const service of this.statuses.keys()) this.set(service, 'NOT_SERVING');
    for (const call of this.watchers) call.end();
    this.watchers.clear();
  }

  readonly implementation: UntypedServiceImplementation = {
    Check: (call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) => {
      const status = this.statuses.get(call.request.service);
      if (status === undefined) callback({ code: GrpcStatus.NOT_FOUND, details: `unknown service ${JSON.stringify(call.request.service)}` });
      else callback(null, { status });
    },
    Watch: (call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) => {
      call.write({ status: this.statuses.get(call.request.service) ?? 'SERVICE_UNKNOWN' });
      this.watchers.add(call);
      call.on('cancelled', () => this.watchers.delete(call));
    },
  };
}
