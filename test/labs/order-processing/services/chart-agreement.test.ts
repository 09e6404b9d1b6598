/**
 * The Kubernetes chart and the four apps agree, as data: every env var, port, probe, Secret key and
 * mount the synthesized YAML gives an app's container is one that app reads (from its configuration
 * module's description), every variable the app requires is given, the values pass the app's own
 * validation, and the addresses it is given are Services of the chart. Both profiles.
 *
 * Each check lists its problems as sentences, so a disagreement reads as what to fix.
 */
import { posix } from 'node:path';
import type { Manifest } from '../../../../k8s/checks/manifest';
import { synthCharts } from '../../../../k8s/synth';
import { parseDockerfile } from '../../../docker-build';
import { frontendApp } from '../../../../labs/order-processing/services/order-frontend/src/app';
import { kafkaConsumerApp } from '../../../../labs/order-processing/services/order-kafka-consumer/src/app';
import { rabbitmqConsumerApp } from '../../../../labs/order-processing/services/order-rabbitmq-consumer/src/app';
import { validatorApp } from '../../../../labs/order-processing/services/order-validator/src/server';
import type { AppDefinition } from '../../../../labs/order-processing/services/shared/src/service';
import { APP_USER } from './build-case';
import { dockerfileOf, type ServiceName } from './image-build';

type AnyApp = AppDefinition<{ logLevel: 'info' }>;
const APPS = [frontendApp, validatorApp, rabbitmqConsumerApp, kafkaConsumerApp] as unknown as AnyApp[];
const [UID, GID] = APP_USER.split(':').map(Number);

/** `registry/path/order-frontend:0.1.0` -> `order-frontend`. */
const imageName = (image: string) => image.split('@')[0].replace(/:[^/:]+$/, '').split('/').pop();

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return selector !== undefined && Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** Every way `app`'s workload in `manifests` disagrees with what the app reads and serves. */
function disagreements(manifests: readonly Manifest[], app: AnyApp): string[] {
  const { name, description } = app;
  const workload = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
  if (!workload) return [`no Deployment named ${name} (folder = image = workload name)`];
  const pod: Manifest = workload.spec.template.spec;
  const container: Manifest | undefined = (pod.containers ?? []).find((c: Manifest) => imageName(c.image) === name);
  if (!container) return [`Deployment ${name} runs no image named ${name}`];
  const problems: string[] = [];
  const configMaps = new Map(manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.metadata.name, (m.data ?? {}) as Record<string, string>]));

  // The environment: plain values and ConfigMap values; credentials come from files, never variables.
  const values: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const data = source.configMapRef ? configMaps.get(source.configMapRef.name) : undefined;
    if (data) Object.assign(values, data);
    else problems.push(`envFrom ${JSON.stringify(source)}: the apps read credentials from Secret files`);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.configMapKeyRef;
    if (variable.value !== undefined) values[variable.name] = variable.value;
    else if (ref && configMaps.get(ref.name)?.[ref.key] !== undefined) values[variable.name] = configMaps.get(ref.name)![ref.key];
    else problems.push(`${variable.name} comes from ${JSON.stringify(variable.valueFrom)}: the apps read credentials from Secret files`);
  }
  const reads = description.env.map((v) => v.name);
  for (const given of Object.keys(values).filter((n) => !reads.includes(n))) problems.push(`${given} is given but the app does not read it`);
  for (const missing of description.env.filter((v) => v.required && values[v.name] === undefined)) problems.push(`${missing.name} is required but not given`);

  // Secret files: each file variable points into a read-only mount of a Secret that holds its key.
  const volume = (volumeName: string) => (pod.volumes ?? []).find((v: Manifest) => v.name === volumeName) ?? {};
  const under = (path: string, mountPath: string) => path.startsWith(`${mountPath.replace(/\/$/, '')}/`);
  const secretKeyAt = (path: string): string | undefined => {
    const mount = (container.volumeMounts ?? []).find((m: Manifest) => under(path, m.mountPath));
    const secret = mount?.readOnly === true ? volume(mount.name).secret : undefined;
    if (!secret) return undefined;
    const file = posix.relative(mount.mountPath, path);
    return secret.items ? secret.items.find((item: Manifest) => item.path === file)?.key : file;
  };
  const fileVariables = description.env.filter((v) => v.secretKey !== undefined && values[v.name] !== undefined);
  for (const v of fileVariables) {
    const key = secretKeyAt(values[v.name]);
    if (key !== v.secretKey) problems.push(`${v.name}=${values[v.name]} is no file of a read-only Secret mount holding key ${v.secretKey}${key ? ` (it holds ${key})` : ''}`);
  }
  // The values pass the app's own validation, its Secret files read from those mounts.
  if (!problems.some((p) => p.includes('required but not given'))) {
    try {
      app.readConfig(values, {
        readFile: (path) => {
          if (secretKeyAt(path) === undefined) throw Object.assign(new Error(`no Secret file at ${path}`), { code: 'ENOENT' });
          return 'from-the-secret';
        },
      });
    } catch (err) {
      problems.push(`the app refuses the chart's environment: ${(err as Error).message}`);
    }
  }

  // Mounts: its Secret files, or its writable scratch (an emptyDir); and every writable path mounted.
  for (const mount of container.volumeMounts ?? []) {
    const source = volume(mount.name);
    const used = description.writablePaths.includes(mount.mountPath)
      ? source.emptyDir !== undefined
      : source.secret !== undefined && fileVariables.some((v) => under(values[v.name], mount.mountPath));
    if (!used) problems.push(`mount ${mount.mountPath} (volume ${mount.name}) is not one the app uses`);
  }
  for (const path of description.writablePaths.filter((p) => !(container.volumeMounts ?? []).some((m: Manifest) => m.mountPath === p))) problems.push(`writable path ${path} is not mounted`);

  // Ports and probes: what the app listens on, which its Dockerfile EXPOSEs.
  const listening = description.listeners.map((l) => Number(values[l.variable]));
  const containerPorts = (container.ports ?? []).map((p: Manifest) => p.containerPort);
  if (JSON.stringify(containerPorts) !== JSON.stringify(listening)) problems.push(`container ports ${JSON.stringify(containerPorts)}, but the app listens on ${JSON.stringify(listening)}`);
  const exposed = parseDockerfile(dockerfileOf(name as ServiceName)).stages[1].instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => Number(i.text));
  if (JSON.stringify(exposed) !== JSON.stringify(listening)) problems.push(`the Dockerfile EXPOSEs ${JSON.stringify(exposed)}, but the app listens on ${JSON.stringify(listening)}`);
  const portNumber = (port: number | string | undefined) => (typeof port === 'string' ? container.ports?.find((p: Manifest) => p.name === port)?.containerPort : port);
  const probes = { liveness: container.livenessProbe, readiness: container.readinessProbe, startup: container.startupProbe };
  for (const listener of description.listeners) {
    const port = Number(values[listener.variable]);
    if (listener.protocol === 'http') {
      const expected = { liveness: [listener.liveness], readiness: [listener.readiness], startup: [listener.liveness, listener.readiness] };
      for (const [kind, probe] of Object.entries(probes)) {
        if (!probe) {
          if (kind !== 'startup') problems.push(`no ${kind} probe`);
        } else if (!expected[kind as keyof typeof expected].includes(probe.httpGet?.path) || portNumber(probe.httpGet?.port) !== port) {
          problems.push(`${kind} probe ${JSON.stringify(probe.httpGet ?? probe)}, but the app serves ${expected[kind as keyof typeof expected].join(' or ')} on ${port}`);
        }
      }
    } else {
      for (const [kind, probe] of Object.entries(probes)) {
        if (!probe) {
          if (kind !== 'startup') problems.push(`no ${kind} probe`);
        } else if (portNumber(probe.grpc?.port) !== port || !listener.healthServices.includes(probe.grpc?.service ?? '')) {
          problems.push(`${kind} probe ${JSON.stringify(probe.grpc ?? probe)}, but the app's gRPC health service reports ${JSON.stringify(listener.healthServices)} on ${port}`);
        }
      }
    }
  }

  // The process: the Dockerfile's numeric user, a read-only root filesystem, no service links.
  const securityContext = { ...pod.securityContext, ...container.securityContext };
  if (securityContext.runAsUser !== UID || securityContext.runAsGroup !== GID) problems.push(`runs as ${securityContext.runAsUser}:${securityContext.runAsGroup}, the image as ${APP_USER}`);
  if (securityContext.readOnlyRootFilesystem !== true) problems.push('the root filesystem is writable');
  if (pod.enableServiceLinks !== false) problems.push('enableServiceLinks is not false');

  // Addresses: each names a Service of the chart, on a port that Service serves.
  const addresses = [
    ...(values.VALIDATOR_ADDRESS ? [values.VALIDATOR_ADDRESS] : []),
    ...(values.RABBITMQ_HOST ? [`${values.RABBITMQ_HOST}:${values.RABBITMQ_PORT}`] : []),
    ...(values.KAFKA_BOOTSTRAP_SERVERS ? values.KAFKA_BOOTSTRAP_SERVERS.split(',').map((a) => a.trim()) : []),
  ];
  for (const address of addresses) {
    const [host, port] = address.split(':');
    const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === host);
    if (!service?.spec.ports.some((p: Manifest) => p.port === Number(port))) problems.push(`${address} is no Service port of the chart`);
  }
  // The app's own Service, if it has one, sends traffic to a port it listens on.
  const ownService = manifests.find((m) => m.kind === 'Service' && matches(m.spec.selector, workload.spec.template.metadata.labels) && m.spec.clusterIP !== 'None');
  for (const port of ownService?.spec.ports ?? []) {
    if (!listening.includes(portNumber(port.targetPort) as number)) problems.push(`Service ${ownService!.metadata.name} sends port ${port.port} to ${port.targetPort}, where the app does not listen`);
  }
  return problems;
}

describe.each(['dev', 'prod'] as const)('chart <-> apps (%s)', (profile) => {
  const manifests = synthCharts({ profile }).find((c) => c.chart === 'order-processing')!.manifests;

  test.each(APPS.map((app) => [app.name, app] as const))('%s: everything the chart gives its container is what the app reads and serves', (name, app) => {
    expect({ app: name, disagreements: disagreements(manifests, app) }).toEqual({ app: name, disagreements: [] });
  });
});

describe('the comparison finds what a chart gets wrong', () => {
  const manifests = synthCharts({ profile: 'dev' }).find((c) => c.chart === 'order-processing')!.manifests;
  const edited = (name: string, edit: (pod: Manifest, container: Manifest) => void) => {
    const copy: Manifest[] = JSON.parse(JSON.stringify(manifests));
    const workload = copy.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
    if (workload) edit(workload.spec.template.spec, workload.spec.template.spec.containers[0]);
    return copy;
  };
  const app = (name: string) => APPS.find((a) => a.name === name)!;

  test('a variable the app does not read, and a required one missing', () => {
    const problems = disagreements(edited('order-validator', (_, c) => (c.env = [{ name: 'PORTT', value: '50051' }])), app('order-validator'));
    expect(problems).toEqual(expect.arrayContaining(['PORTT is given but the app does not read it', 'PORT is required but not given']));
  });

  test('a value the app refuses', () => {
    const problems = disagreements(edited('order-validator', (_, c) => (c.env = [{ name: 'PORT', value: 'grpc' }])), app('order-validator'));
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('the app refuses the chart\'s environment: Invalid PORT: received "grpc"')]));
  });

  test('a probe on a path the app does not serve', () => {
    const problems = disagreements(edited('order-validator', (_, c) => (c.readinessProbe = { httpGet: { path: '/health', port: 50051 } })), app('order-validator'));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^readiness probe .* but the app's gRPC health service reports/)]));
  });
});
