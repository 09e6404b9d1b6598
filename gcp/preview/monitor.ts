/**
 * The engine side of `pulumi preview`, served on a loopback port: the `pulumirpc.ResourceMonitor`
 * and `pulumirpc.Engine` services a Pulumi program talks to (stubs from @pulumi/pulumi/proto, over
 * @grpc/grpc-js). A preview registers each resource without creating it: the monitor answers with
 * the URN and the inputs it was given, no id and nothing else, so every output the provider would
 * compute stays unknown to the program, as in a real preview.
 */
import * as grpc from '@grpc/grpc-js';
import { SECRET_MASK, UNKNOWN } from '../offline/plan-model';

/* eslint-disable @typescript-eslint/no-require-imports -- the generated protobuf stubs are CommonJS without types for these paths */
const resourceGrpc = require('@pulumi/pulumi/proto/resource_grpc_pb.js');
const engineGrpc = require('@pulumi/pulumi/proto/engine_grpc_pb.js');
const resourcePb = require('@pulumi/pulumi/proto/resource_pb.js');
const enginePb = require('@pulumi/pulumi/proto/engine_pb.js');
const providerPb = require('@pulumi/pulumi/proto/provider_pb.js');
const emptyPb = require('google-protobuf/google/protobuf/empty_pb.js');
/* eslint-enable @typescript-eslint/no-require-imports */

/** How the Pulumi wire format marks a value the engine does not know yet (sdk/nodejs/runtime/rpc.ts). */
export const UNKNOWN_WIRE_VALUE = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export interface MonitoredResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parentUrn: string;
  readonly dependencyUrns: readonly string[];
  /** Inputs as the program sent them: unknowns as UNKNOWN, secrets as SECRET_MASK. */
  readonly inputs: Record<string, unknown>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

export interface EngineLog {
  readonly severity: 'debug' | 'info' | 'warning' | 'error';
  readonly message: string;
  readonly urn: string;
}

export interface PreviewMonitor {
  /** `127.0.0.1:<port>`, for both --monitor and --engine. */
  readonly address: string;
  /** In registration order, the stack first. */
  readonly resources: MonitoredResource[];
  readonly logs: EngineLog[];
  /** The stack's outputs, decoded like inputs. */
  outputs: Record<string, unknown>;
  close(): Promise<void>;
}

const SEVERITIES = ['debug', 'info', 'warning', 'error'] as const;

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;
type Callback = grpc.sendUnaryData<unknown>;

/** Starts a monitor + engine on a free loopback port for one program run. */
export async function startPreviewMonitor(project: string, stack: string): Promise<PreviewMonitor> {
  const server = new grpc.Server();
  const resources: MonitoredResource[] = [];
  const logs: EngineLog[] = [];
  const typeChains = new Map<string, string>();
  let rootUrn = '';
  const state = { outputs: {} as Record<string, unknown> };

  const urnOf = (type: string, name: string, parentUrn: string): string => {
    // The engine leaves the root stack's type out of its children's type chains.
    const parentChain = parentUrn === '' || parentUrn === rootUrn ? undefined : typeChains.get(parentUrn);
    const chain = parentChain === undefined ? type : `${parentChain}$${type}`;
    const urn = `urn:pulumi:${stack}::${project}::${chain}::${name}`;
    typeChains.set(urn, chain);
    return urn;
  };

  server.addService(resourceGrpc.ResourceMonitorService, {
    supportsFeature(call: Call<{ getId(): string }>, callback: Callback) {
      // Secrets only: inputs then arrive as plain values with the unknown marker, resource references as URNs/ids.
      callback(null, new resourcePb.SupportsFeatureResponse().setHassupport(call.request.getId() === 'secrets'));
    },
    registerResource(call: Call<RegisterResourceRequest>, callback: Callback) {
      const request = call.request;
      const urn = urnOf(request.getType(), request.getName(), request.getParent());
      resources.push({
        urn,
        type: request.getType(),
        name: request.getName(),
        custom: request.getCustom(),
        parentUrn: request.getParent(),
        dependencyUrns: request.getDependenciesList(),
        inputs: decode(request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        protect: request.getProtect(),
        retainOnDelete: request.getRetainondelete(),
      });
      // A preview's answer: the URN, no id, the inputs as the only known outputs.
      const response = new resourcePb.RegisterResourceResponse().setUrn(urn).setId('');
      if (request.getObject()) response.setObject(request.getObject());
      callback(null, response);
    },
    registerResourceOutputs(call: Call<{ getUrn(): string; getOutputs(): { toJavaScript(): unknown } | undefined }>, callback: Callback) {
      if (call.request.getUrn() === rootUrn) state.outputs = decode(call.request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      callback(null, new emptyPb.Empty());
    },
    invoke(call: Call<{ getTok(): string }>, callback: Callback) {
      // No provider runs offline: a function call is a gap in this preview, reported as the engine would.
      const failure = new providerPb.CheckFailure().setProperty('').setReason(`the offline preview serves no provider function (${call.request.getTok()})`);
      callback(null, new providerPb.InvokeResponse().setFailuresList([failure]));
    },
    signalAndWaitForShutdown(_call: unknown, callback: Callback) {
      callback(null, new emptyPb.Empty());
    },
  });
  server.addService(engineGrpc.EngineService, {
    log(call: Call<{ getSeverity(): number; getMessage(): string; getUrn(): string }>, callback: Callback) {
      logs.push({ severity: SEVERITIES[call.request.getSeverity()] ?? 'info', message: call.request.getMessage(), urn: call.request.getUrn() });
      callback(null, new emptyPb.Empty());
    },
    getRootResource(_call: unknown, callback: Callback) {
      callback(null, new enginePb.GetRootResourceResponse().setUrn(rootUrn));
    },
    setRootResource(call: Call<{ getUrn(): string }>, callback: Callback) {
      rootUrn = call.request.getUrn();
      callback(null, new enginePb.SetRootResourceResponse());
    },
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    resources,
    logs,
    get outputs() {
      return state.outputs;
    },
    set outputs(value) {
      state.outputs = value;
    },
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): unknown } | undefined;
  getDependenciesList(): string[];
  getProtect(): boolean;
  getRetainondelete(): boolean;
}

/** Wire values to plan values: the unknown marker becomes UNKNOWN, a secret SECRET_MASK (a plan never shows one). */
function decode(value: unknown): unknown {
  if (value === UNKNOWN_WIRE_VALUE) return UNKNOWN;
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) return SECRET_MASK;
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, decode(item)]));
  }
  return value;
}
