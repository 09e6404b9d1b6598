/**
 * The Kubernetes chart and the four apps agree, as data: every env var, port, probe, Secret key and
 * mount the synthesized YAML gives an app's container is one that app reads (from its configuration
 * module's description), every variable the app requires is given, and the values pass the app's own
 * validation. Both profiles. The contract both sides build to: /work's order-processing-contract.md,
 * summarized in labs/order-processing/services/README.md.
 */
import { posix } from 'node:path';
import type { Manifest } from '../../../../k8s/checks/manifest';
import { synthCharts } from '../../../../k8s/synth';
import { frontendApp } from '../../../../labs/order-processing/services/order-frontend/src/app';
import { kafkaConsumerApp } from '../../../../labs/order-processing/services/order-kafka-consumer/src/app';
import { rabbitmqConsumerApp } from '../../../../labs/order-processing/services/order-rabbitmq-consumer/src/app';
import { validatorApp } from '../../../../labs/order-processing/services/order-validator/src/server';
import type { AppDefinition } from '../../../../labs/order-processing/services/shared/src/service';
import { APP_USER } from './build-case';
import { parseDockerfile } from '../../../docker-build';
import { dockerfileOf } from './image-build';

type AnyApp = AppDefinition<{ logLevel: 'info' }>;
const APPS = [frontendApp, validatorApp, rabbitmqConsumerApp, kafkaConsumerApp] as unknown as AnyApp[];
const [UID, GID] = APP_USER.split(':').map(Number);

const manifestsOf = (profile: 'dev' | 'prod') => synthCharts({ profile }).find((c) => c.chart === 'order-processing')!.manifests;

/** `registry/path/order-frontend:0.1.0` -> `order-frontend`. */
const imageName = (image: string) => image.split('@')[0].replace(/:[^/:]+$/, '').split('/').pop();

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return selector !== undefined && Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

describe.each(['dev', 'prod'] as const)('chart <-> apps (%s)', (profile) => {
  const manifests = manifestsOf(profile);
  const configMaps = new Map(manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.metadata.name, (m.data ?? {}) as Record<string, string>]));

  describe.each(APPS.map((app) => [app.name, app] as const))('%s', (name, app) => {
    const workload = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
    const pod: Manifest = workload?.spec.template.spec ?? {};
    const container: Manifest = (pod.containers ?? []).find((c: Manifest) => imageName(c.image) === name) ?? {};
    const description = app.description;

    /** What the container's environment holds, by name: plain values and ConfigMap values resolved; anything else is refused. */
    const env = (): { values: Record<string, string>; problems: string[] } => {
      const values: Record<string, string> = {};
      const problems: string[] = [];
      for (const source of container.envFrom ?? []) {
        const data = source.configMapRef ? configMaps.get(source.configMapRef.name) : undefined;
        if (data) Object.assign(values, data);
        else problems.push(`envFrom ${JSON.stringify(source)}: the apps read credentials from Secret files, and only from ConfigMaps in the chart`);
      }
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.configMapKeyRef;
        if (variable.value !== undefined) values[variable.name] = variable.value;
        else if (ref && configMaps.get(ref.name)?.[ref.key] !== undefined) values[variable.name] = configMaps.get(ref.name)![ref.key];
        else problems.push(`${variable.name} comes from ${JSON.stringify(variable.valueFrom)}; the apps read credentials from files (RABBITMQ_*_FILE), not from variables`);
      }
      return { values, problems };
    };

    const secretVolume = (volumeName: string) => (pod.volumes ?? []).find((v: Manifest) => v.name === volumeName)?.secret;

    /** The Secret key of the file at `path`, or undefined when no read-only Secret mount provides that file. */
    const secretKeyAt = (path: string): string | undefined => {
      const mount = (container.volumeMounts ?? []).find((m: Manifest) => path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
      const secret = mount && mount.readOnly === true ? secretVolume(mount.name) : undefined;
      if (!secret) return undefined;
      const file = posix.relative(mount.mountPath, path);
      if (!secret.items) return file; // every key of the Secret, each as a file of its name
      return secret.items.find((item: Manifest) => item.path === file)?.key;
    };

    test('is a Deployment named like its folder and image', () => {
      expect(workload?.metadata.name).toBe(name);
      expect(imageName(container.image ?? '')).toBe(name);
    });

    test('every variable the chart gives is one the app reads; every one it requires is given', () => {
      const { values, problems } = env();
      const reads = description.env.map((v) => v.name);
      expect(problems).toEqual([]);
      expect(Object.keys(values).filter((given) => !reads.includes(given))).toEqual([]);
      expect(description.env.filter((v) => v.required && values[v.name] === undefined).map((v) => v.name)).toEqual([]);
    });

    test('the values pass the app\'s own validation, its Secret files read from the mounts the chart gives', () => {
      const { values } = env();
      const files = {
        readFile: (path: string) => {
          const key = secretKeyAt(path);
          if (key === undefined) throw Object.assign(new Error(`no Secret file at ${path}`), { code: 'ENOENT' });
          return `${key}-from-the-secret`;
        },
      };
      expect(() => app.readConfig(values, files)).not.toThrow();
    });

    test('each Secret file the app reads is mounted read-only from a Secret holding its key', () => {
      const { values } = env();
      const fileVariables = description.env.filter((v) => v.secretKey !== undefined);
      expect(fileVariables.map((v) => ({ name: v.name, key: secretKeyAt(values[v.name] ?? '') }))).toEqual(fileVariables.map((v) => ({ name: v.name, key: v.secretKey })));
    });

    test('every mount is one the app uses: its Secret files, or its writable scratch (an emptyDir)', () => {
      const { values } = env();
      const secretFiles = description.env.filter((v) => v.secretKey !== undefined).map((v) => values[v.name] ?? '');
      const unused = (container.volumeMounts ?? []).filter((mount: Manifest) => {
        const volume = (pod.volumes ?? []).find((v: Manifest) => v.name === mount.name) ?? {};
        if (description.writablePaths.includes(mount.mountPath)) return volume.emptyDir === undefined;
        return !(volume.secret && secretFiles.some((file) => file.startsWith(`${mount.mountPath.replace(/\/$/, '')}/`)));
      });
      expect(unused).toEqual([]);
      expect(description.writablePaths.filter((path) => !(container.volumeMounts ?? []).some((m: Manifest) => m.mountPath === path))).toEqual([]);
    });

    test('its container ports are the ports it listens on, which its Dockerfile EXPOSEs', () => {
      const { values } = env();
      const listening = description.listeners.map((l) => Number(values[l.variable]));
      expect((container.ports ?? []).map((p: Manifest) => p.containerPort)).toEqual(listening);
      const expose = parseDockerfile(dockerfileOf(name as never)).stages[1].instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => Number(i.text));
      expect(expose).toEqual(listening);
    });

    test('its probes call what it serves: /healthz for liveness, /readyz for readiness, the gRPC health service on its port', () => {
      const { values } = env();
      const portNumber = (port: number | string) => (typeof port === 'number' ? port : container.ports?.find((p: Manifest) => p.name === port)?.containerPort);
      for (const listener of description.listeners) {
        const port = Number(values[listener.variable]);
        if (listener.protocol === 'http') {
          expect({ path: container.livenessProbe?.httpGet?.path, port: portNumber(container.livenessProbe?.httpGet?.port) }).toEqual({ path: listener.liveness, port });
          expect({ path: container.readinessProbe?.httpGet?.path, port: portNumber(container.readinessProbe?.httpGet?.port) }).toEqual({ path: listener.readiness, port });
          if (container.startupProbe) expect([listener.liveness, listener.readiness]).toContain(container.startupProbe.httpGet?.path);
        } else {
          for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe].filter(Boolean)) {
            expect(probe.grpc?.port).toBe(port);
            expect(listener.healthServices).toContain(probe.grpc?.service ?? '');
          }
          expect(container.readinessProbe?.grpc).toBeDefined();
        }
      }
    });

    test(`runs as the Dockerfile's USER (${APP_USER}) with a read-only root filesystem and no service links`, () => {
      const securityContext = { ...pod.securityContext, ...container.securityContext };
      expect({ runAsUser: securityContext.runAsUser, runAsGroup: securityContext.runAsGroup, readOnlyRootFilesystem: securityContext.readOnlyRootFilesystem }).toEqual({
        runAsUser: UID,
        runAsGroup: GID,
        readOnlyRootFilesystem: true,
      });
      expect(pod.enableServiceLinks).toBe(false);
    });
  });

  test('every address an app is given names a Service of the chart, on a port that Service serves', () => {
    const services = manifests.filter((m) => m.kind === 'Service');
    const problems: string[] = [];
    for (const app of APPS) {
      const container = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === app.name)?.spec.template.spec.containers[0];
      const values = Object.fromEntries((container?.env ?? []).filter((v: Manifest) => v.value !== undefined).map((v: Manifest) => [v.name, v.value]));
      const addresses = [
        ...(values.VALIDATOR_ADDRESS ? [values.VALIDATOR_ADDRESS] : []),
        ...(values.RABBITMQ_HOST ? [`${values.RABBITMQ_HOST}:${values.RABBITMQ_PORT}`] : []),
        ...(values.KAFKA_BOOTSTRAP_SERVERS ? values.KAFKA_BOOTSTRAP_SERVERS.split(',') : []),
      ];
      for (const address of addresses) {
        const [host, port] = address.trim().split(':');
        const service = services.find((s) => s.metadata.name === host);
        if (!service?.spec.ports.some((p: Manifest) => p.port === Number(port))) problems.push(`${app.name}: ${address} is no Service port of the chart`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('the front end\'s and validator\'s Services send traffic to the port each app listens on', () => {
    const targets = (serviceName: string) => {
      const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === serviceName);
      return (service?.spec.ports ?? []).map((p: Manifest) => p.targetPort);
    };
    const workloadPorts = (name: string) => {
      const workload = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name)!;
      const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === name);
      expect(matches(service?.spec.selector, workload.spec.template.metadata.labels)).toBe(true);
      return workload.spec.template.spec.containers[0].ports.flatMap((p: Manifest) => [p.containerPort, p.name]);
    };
    for (const name of ['order-frontend', 'order-validator']) expect(workloadPorts(name)).toEqual(expect.arrayContaining(targets(name)));
  });
});
