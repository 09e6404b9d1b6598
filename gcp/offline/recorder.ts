/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` and records what it declares:
 * each registration's type, name, parent, dependencies and inputs, and the stack outputs,
 * as the engine would receive them (secrets still marked).
 */
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_REGION, PROJECT_NAME } from '../config';
import { GcpMocks } from './mocks';
import { PLACEHOLDER_PROJECT } from './stack-config';

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly parentUrn: string;
  readonly dependencyUrns: readonly string[];
  readonly inputs: Record<string, unknown>;
  urn?: string;
}

export interface Recording {
  /** In registration order, the stack first. */
  readonly registrations: readonly Registration[];
  /** Stack outputs as the engine received them: secrets still wrapped. */
  readonly outputs: Record<string, unknown>;
}

type Struct = Parameters<typeof pulumi.runtime.deserializeProperties>[0];

/** The slice of the mock monitor's interface that the recorder decorates. */
interface MonitorCalls {
  registerResource(request: RegisterRequest, callback: (err: unknown, response?: { getUrn(): string }) => void): unknown;
  registerResourceOutputs(request: OutputsRequest, callback: (err: unknown, response?: unknown) => void): unknown;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getObject(): Struct;
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): Struct;
}

/**
 * Runs `program` inside a fresh mocked stack with `config` and records every registration and
 * the stack outputs. The Pulumi runtime is process-global, so runs take turns.
 */
export function record(stack: string, config: Readonly<Record<string, string>>, program: () => Promise<unknown>): Promise<Recording> {
  return exclusive(() => recordOnce(stack, config, program));
}

async function recordOnce(stack: string, config: Readonly<Record<string, string>>, program: () => Promise<unknown>): Promise<Recording> {
  const defaults = { project: config['gcp:project'] ?? PLACEHOLDER_PROJECT, region: config['gcp:region'] ?? DEFAULT_REGION };
  const registrations: Registration[] = [];
  const secretOutputs = new Map<string, readonly string[]>();
  let stackOutputs: Record<string, unknown> = {};

  const mocks = new GcpMocks(defaults, (type, name) => secretOutputs.get(`${type}::${name}`) ?? []);
  await pulumi.runtime.setMocks(mocks, PROJECT_NAME, stack, false);
  pulumi.runtime.setAllConfig({ ...config }, []);

  // The mocks only see a resource's type, name and inputs; its parent and dependencies are in
  // the request the SDK sends the monitor, so the recorder listens there.
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorCalls;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const registration: Registration = {
      type: request.getType(),
      name: request.getName(),
      parentUrn: request.getParent(),
      dependencyUrns: request.getDependenciesList(),
      inputs: pulumi.runtime.deserializeProperties(request.getObject()),
    };
    registrations.push(registration);
    secretOutputs.set(`${registration.type}::${registration.name}`, request.getAdditionalsecretoutputsList());
    return registerResource(request, (err, response) => {
      if (response) registration.urn = response.getUrn();
      callback(err, response);
    });
  };
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (request, callback) => {
    if (request.getUrn() === registrations[0]?.urn) stackOutputs = pulumi.runtime.deserializeProperties(request.getOutputs());
    return registerResourceOutputs(request, callback);
  };

  // A program that throws inside the stack makes the SDK reject the error again on promises nobody
  // awaits (the Pulumi CLI's language host absorbs those); catching it here keeps the host process clean.
  let failure: { error: unknown } | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      return await program();
    } catch (error) {
      failure = { error };
      return {};
    }
  });
  // Resources whose outputs nobody awaited may still be registering: wait for every RPC.
  await pulumi.runtime.disconnect();
  if (failure) throw failure.error;
  return { registrations, outputs: stackOutputs };
}

/** The Pulumi runtime is process-global: one program at a time, whatever the callers do. */
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}
