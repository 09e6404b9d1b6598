import { Yaml } from 'cdk8s';
import { DEFINITIONS_FILE, definitionsScript } from '../../k8s/rabbitmq-broker';
import { synthCharts } from '../../k8s/synth';
import { allowedFlows, failedChecks, mainContainer, ofKind, one, podSpec } from './manifests';

const orderProcessing = (profile: 'dev' | 'prod') => synthCharts({ profile }).find((c) => c.chart === 'order-processing')!.manifests;
const dev = orderProcessing('dev');
const prod = orderProcessing('prod');
type Manifests = typeof dev;

const APPS = ['order-frontend', 'order-validator', 'order-rabbitmq-consumer', 'order-kafka-consumer'];
// kube-dns by label (what Cilium and every other plugin match) and GKE's two link-local resolvers, /32s.
const DNS = (from: string) =>
  ['ns:kube-system/k8s-app=kube-dns', '*169.254.20.10/32', '*169.254.169.254/32'].flatMap((to) => [`${from} -> ${to}:53/TCP`, `${from} -> ${to}:53/UDP`]);

describe.each([
  ['dev', dev],
  ['prod', prod],
])('order-processing (%s)', (profile, manifests) => {
  test('matches the reviewed YAML', () => {
    expect(Yaml.stringify(...manifests)).toMatchSnapshot();
  });

  test('passes the whole gate: strict schema and every policy', () => {
    expect(failedChecks(manifests)).toEqual([]);
  });

  test('everything lives in the order-processing namespace, created first and enforcing Pod Security restricted', () => {
    expect(manifests[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'order-processing' } });
    expect(manifests[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(manifests.slice(1).every((m) => m.metadata.namespace === 'order-processing')).toBe(true);
  });

  test('network: only the flows of the system are open, both ways checked, plus DNS; the rest is denied', () => {
    expect(one(manifests, 'NetworkPolicy', 'default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] });
    expect(allowedFlows(manifests)).toEqual(
      [
        'ns:envoy-gateway-system -> order-frontend:5000/TCP',
        'order-frontend -> order-validator:50051/TCP',
        'order-frontend -> rabbitmq:5672/TCP',
        'order-frontend -> kafka:9092/TCP',
        'order-rabbitmq-consumer -> rabbitmq:5672/TCP',
        'order-kafka-consumer -> kafka:9092/TCP',
        'rabbitmq -> rabbitmq:4369/TCP',
        'rabbitmq -> rabbitmq:25672/TCP',
        'kafka -> kafka:9092/TCP',
        'kafka -> kafka:9093/TCP',
        ...[...APPS, 'rabbitmq', 'kafka'].flatMap(DNS),
      ].sort(),
    );
  });

  test('the RabbitMQ management port is reachable from nowhere: no allow rule, no client Service port', () => {
    const ports = ofKind(manifests, 'NetworkPolicy').flatMap((p) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]).flatMap((r) => r.ports ?? []);
    expect(ports.map((p: { port: number }) => p.port)).not.toContain(15672);
    expect(one(manifests, 'Service', 'rabbitmq').spec.ports).toEqual([{ name: 'amqp', port: 5672, targetPort: 5672 }]);
  });

  test.each([
    ['order-frontend', 'order-frontend', [{ name: 'http', port: 80, targetPort: 5000 }]],
    ['order-validator', 'order-validator', [{ name: 'grpc', port: 50051, targetPort: 50051 }]],
    ['rabbitmq', 'rabbitmq', [{ name: 'amqp', port: 5672, targetPort: 5672 }]],
    ['kafka', 'kafka', [{ name: 'kafka', port: 9092, targetPort: 9092 }]],
  ])('Service %s selects workload %s and targets its ports', (serviceName, workloadName, ports) => {
    const service = one(manifests, 'Service', serviceName);
    const workload = manifests.find((m) => ['Deployment', 'StatefulSet'].includes(m.kind) && m.metadata.name === workloadName)!;
    expect(workload.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports).toEqual(ports);
    const containerPorts = mainContainer(workload).ports.map((p: { containerPort: number }) => p.containerPort);
    for (const port of ports) expect(containerPorts).toContain(port.targetPort);
  });

  test('the Gateway and its HTTPRoute send the host to the front end Service (HTTPS with a redirect in prod)', () => {
    expect(one(manifests, 'Gateway', 'order-frontend').spec.gatewayClassName).toBe('eg');
    expect(one(manifests, 'HTTPRoute', 'order-frontend').spec).toEqual({
      parentRefs: [{ name: 'order-frontend', sectionName: profile === 'prod' ? 'https' : 'http' }],
      hostnames: ['orders.localhost'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'order-frontend', port: 80 }] }],
    });
    const tls = one(manifests, 'Gateway', 'order-frontend').spec.listeners.find((l: { name: string }) => l.name === 'https')?.tls;
    expect(tls).toEqual(profile === 'prod' ? { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'order-processing-tls' }] } : undefined);
  });

  test('probes follow the apps\' health contract: /readyz (dependencies up) for readiness, /healthz for liveness, gRPC health for the validator', () => {
    const probes = (name: string) => {
      const c = mainContainer(one(manifests, 'Deployment', name));
      return [c.startupProbe, c.readinessProbe, c.livenessProbe].map(({ httpGet, grpc }) => httpGet ?? grpc);
    };
    const http = (path: string, port: number) => ({ path, port, scheme: 'HTTP' });
    expect(probes('order-frontend')).toEqual([http('/healthz', 5000), http('/readyz', 5000), http('/healthz', 5000)]);
    expect(probes('order-validator')).toEqual([{ port: 50051 }, { port: 50051 }, { port: 50051 }]);
    for (const consumer of ['order-rabbitmq-consumer', 'order-kafka-consumer']) {
      expect(probes(consumer)).toEqual([http('/healthz', 8080), http('/readyz', 8080), http('/healthz', 8080)]);
    }
  });

  test('the Erlang cookie reaches RabbitMQ as the owner-only file it reads, copied from the Secret before every start', () => {
    const pod = one(manifests, 'StatefulSet', 'rabbitmq').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'erlang-cookie', secret: { secretName: 'rabbitmq-credentials', defaultMode: 0o440, items: [{ key: 'erlang-cookie', path: 'erlang-cookie' }] } });
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(['erlang-cookie', 'definitions']);
    const [setup] = pod.initContainers;
    expect(setup).toMatchObject({
      name: 'erlang-cookie',
      image: mainContainer(one(manifests, 'StatefulSet', 'rabbitmq')).image,
      command: ['install', '-m', '0400', '/var/run/secrets/rabbitmq-cookie/erlang-cookie', '/var/lib/rabbitmq/.erlang.cookie'],
      securityContext: { runAsUser: 999, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
      volumeMounts: [
        { name: 'data', mountPath: '/var/lib/rabbitmq' },
        { name: 'erlang-cookie', mountPath: '/var/run/secrets/rabbitmq-cookie', readOnly: true },
      ],
    });
    // The main container never sees the cookie as a variable.
    expect(JSON.stringify(mainContainer(one(manifests, 'StatefulSet', 'rabbitmq')).env)).not.toContain('erlang-cookie');
  });

  test('a RabbitMQ node drains before it stops (prod first waits until its quorum queues keep a majority without it), within its grace period', () => {
    const rabbitmq = one(manifests, 'StatefulSet', 'rabbitmq');
    const preStop = mainContainer(rabbitmq).lifecycle.preStop.exec.command;
    const grace = rabbitmq.spec.template.spec.terminationGracePeriodSeconds;
    if (profile === 'dev') {
      expect({ preStop, grace }).toEqual({ preStop: ['rabbitmq-upgrade', '-q', 'drain', '-t', '60'], grace: 90 });
    } else {
      expect({ preStop, grace }).toEqual({ preStop: ['sh', '-c', 'rabbitmq-upgrade -q await_online_quorum_plus_one -t 300; rabbitmq-upgrade -q drain -t 120'], grace: 450 });
    }
    // The waits (300 + 120 s at most) leave the server half a minute to stop inside the grace period.
    const waits = preStop.join(' ').match(/-t (\d+)/g)!.map((t: string) => Number(t.slice(3)));
    expect(waits.reduce((a: number, b: number) => a + b, 0) + 30).toBeLessThanOrEqual(grace);
  });

  test('RabbitMQ imports its users at every boot from definitions a setup step writes from the Secret: an administrator, and the apps\' user with no tags and rights on its vhost only', () => {
    const rabbitmq = one(manifests, 'StatefulSet', 'rabbitmq');
    const step = podSpec(rabbitmq).initContainers.find((c: { name: string }) => c.name === 'definitions');
    expect(step.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(step.command[2]).toBe(definitionsScript('order-processing', 'orders'));
    expect(step.volumeMounts).toEqual([
      { name: 'rabbitmq-logins', mountPath: '/var/run/secrets/rabbitmq-credentials', readOnly: true },
      { name: 'definitions', mountPath: '/etc/rabbitmq/definitions' },
    ]);
    const volumes = podSpec(rabbitmq).volumes;
    expect(volumes.find((v: { name: string }) => v.name === 'rabbitmq-logins').secret.items.map((i: { key: string }) => i.key).sort()).toEqual(['app-password', 'app-username', 'password', 'username']);
    // The file lives in memory and the broker may only read it.
    expect(volumes.find((v: { name: string }) => v.name === 'definitions').emptyDir).toMatchObject({ medium: 'Memory' });
    expect(mainContainer(rabbitmq).volumeMounts).toContainEqual({ name: 'definitions', mountPath: '/etc/rabbitmq/definitions', readOnly: true });
    expect(mainContainer(rabbitmq).volumeMounts.some((m: { name: string }) => m.name === 'rabbitmq-logins')).toBe(false);
    const config = one(manifests, 'ConfigMap', 'rabbitmq-config').data['10-iac-lab-kit.conf'];
    expect(config).toContain(`definitions.local.path = ${DEFINITIONS_FILE}\n`);
    expect(config).toContain('definitions.import_backend = local_filesystem\n');
  });

  test('credentials come from the learner-created Secret; the chart emits no Secret', () => {
    expect(ofKind(manifests, 'Secret')).toEqual([]);
    const fromSecret = (name: string) =>
      Object.fromEntries(
        (mainContainer(manifests.find((m) => m.metadata.name === name && m.spec?.template)!).env ?? [])
          .filter((e: { valueFrom?: { secretKeyRef?: unknown } }) => e.valueFrom?.secretKeyRef)
          .map((e: { name: string; valueFrom: { secretKeyRef: { key: string; name: string } } }) => [e.name, `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`]),
      );
    // No login in any environment: the broker imports its users from a file, the apps read theirs from files.
    expect(fromSecret('rabbitmq')).toEqual({});
    // The apps' login only (app-username, app-password), as the files username and password, read-only where the ConfigMap says.
    for (const app of APPS) expect({ app, fromSecret: fromSecret(app) }).toEqual({ app, fromSecret: {} });
    const settings = one(manifests, 'ConfigMap', 'order-processing-settings').data;
    for (const app of ['order-frontend', 'order-rabbitmq-consumer']) {
      const workload = one(manifests, 'Deployment', app);
      const mount = mainContainer(workload).volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/var/run/secrets/order-processing/rabbitmq');
      expect(mount).toMatchObject({ readOnly: true });
      expect(podSpec(workload).volumes.find((v: { name: string }) => v.name === mount.name).secret).toEqual({
        secretName: 'rabbitmq-credentials',
        items: expect.arrayContaining([{ key: 'app-username', path: 'username' }, { key: 'app-password', path: 'password' }]),
      });
      expect(podSpec(workload).volumes.find((v: { name: string }) => v.name === mount.name).secret.items).toHaveLength(2);
      expect(settings).toMatchObject({ RABBITMQ_USERNAME_FILE: `${mount.mountPath}/username`, RABBITMQ_PASSWORD_FILE: `${mount.mountPath}/password` });
    }
  });

  test('the apps read broker and validator addresses from one ConfigMap that matches the Services', () => {
    const settings = one(manifests, 'ConfigMap', 'order-processing-settings').data;
    expect(settings).toMatchObject({ RABBITMQ_HOST: 'rabbitmq', RABBITMQ_PORT: '5672', RABBITMQ_VHOST: 'order-processing', KAFKA_BOOTSTRAP_SERVERS: 'kafka:9092', VALIDATOR_ADDRESS: 'order-validator:50051' });
    // Each app gets exactly the keys it reads (the chart <-> apps test checks them against the apps).
    const keysOf = (app: string) =>
      (mainContainer(one(manifests, 'Deployment', app)).env ?? []).filter((e: { valueFrom?: { configMapKeyRef?: unknown } }) => e.valueFrom?.configMapKeyRef).map((e: { name: string }) => e.name).sort();
    expect(keysOf('order-validator')).toEqual([]);
    expect(keysOf('order-kafka-consumer')).toEqual(['KAFKA_BOOTSTRAP_SERVERS', 'KAFKA_GROUP_ID', 'KAFKA_TOPIC']);
    expect(keysOf('order-frontend')).toContain('VALIDATOR_ADDRESS');
  });

  test('learner images are pinned and used from the node (kind load docker-image), running as a fixed non-root uid', () => {
    for (const app of APPS) {
      const container = mainContainer(one(manifests, 'Deployment', app));
      expect(container.image).toMatch(/^order-[a-z-]+:0\.1\.0$/);
      expect(container.imagePullPolicy).toBe('IfNotPresent');
      expect(container.securityContext).toMatchObject({ runAsUser: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true });
    }
  });

  describe('brokers', () => {
    const broker = (name: string) => one(manifests, 'StatefulSet', name);

    test.each([
      ['rabbitmq', 'rabbitmq:4.1.4-management', 999, '/var/lib/rabbitmq', ['/tmp', '/etc/rabbitmq/definitions']],
      ['kafka', 'apache/kafka:3.9.0', 1000, '/var/lib/kafka/data', ['/tmp', '/opt/kafka/config', '/opt/kafka/logs']],
    ])('%s: pinned official image %s as its own non-root user, read-only root, data on a volume per pod', (name, image, uid, dataPath, scratch) => {
      const set = broker(name as string);
      const container = mainContainer(set);
      expect(container.image).toBe(image);
      expect(container.securityContext).toMatchObject({ runAsUser: uid, runAsGroup: uid, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(podSpec(set).securityContext).toMatchObject({ fsGroup: uid, runAsNonRoot: true });
      expect(set.spec.volumeClaimTemplates.map((t: { metadata: { name: string } }) => t.metadata.name)).toEqual(['data']);
      expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: dataPath });
      const emptyDirs = podSpec(set).volumes.filter((v: { emptyDir?: unknown }) => v.emptyDir).map((v: { name: string }) => v.name);
      const mounted = container.volumeMounts.filter((m: { name: string }) => emptyDirs.includes(m.name)).map((m: { mountPath: string }) => m.mountPath);
      expect(mounted).toEqual(scratch);
    });

    test.each(['rabbitmq', 'kafka'])('%s: a headless Service publishes pods before they are ready, and pods start in parallel', (name) => {
      const headless = one(manifests, 'Service', `${name}-headless`);
      expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
      expect(broker(name).spec).toMatchObject({ serviceName: `${name}-headless`, podManagementPolicy: 'Parallel' });
      expect(broker(name).spec.template.metadata.labels).toMatchObject(headless.spec.selector);
    });

    test('kafka runs KRaft (broker and controller, no ZooKeeper) with a voter per replica, addressed through the headless Service', () => {
      const set = broker('kafka');
      const config = one(manifests, 'ConfigMap', 'kafka-config').data;
      const voters = config.KAFKA_CONTROLLER_QUORUM_VOTERS.split(',');
      expect(voters).toHaveLength(set.spec.replicas);
      voters.forEach((voter: string, i: number) => expect(voter).toBe(`${i}@kafka-${i}.kafka-headless.order-processing.svc.cluster.local:9093`));
      expect(config).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller', KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER' });
      expect(Object.keys(config).some((k) => k.includes('ZOOKEEPER'))).toBe(false);
      const env = mainContainer(set).env;
      expect(env.find((e: { name: string }) => e.name === 'KAFKA_NODE_ID').valueFrom.fieldRef.fieldPath).toBe("metadata.labels['apps.kubernetes.io/pod-index']");
      expect(env.find((e: { name: string }) => e.name === 'KAFKA_ADVERTISED_LISTENERS').value).toBe('PLAINTEXT://$(POD_NAME).kafka-headless.order-processing.svc.cluster.local:9092');
      expect(env.map((e: { name: string }) => e.name).indexOf('POD_NAME')).toBeLessThan(env.map((e: { name: string }) => e.name).indexOf('KAFKA_ADVERTISED_LISTENERS'));
    });

    test('kafka writes no GC log files into its small writable folder: EXTRA_ARGS drops kafka-server-start.sh\'s -loggc', () => {
      expect(one(manifests, 'ConfigMap', 'kafka-config').data.EXTRA_ARGS).toBe('-name kafkaServer');
      expect(mainContainer(broker('kafka')).envFrom).toEqual([{ configMapRef: { name: 'kafka-config' } }]);
    });

    test('rabbitmq clusters from a static peer list (no Kubernetes API access) and logs to stdout only', () => {
      const conf = one(manifests, 'ConfigMap', 'rabbitmq-config').data['10-iac-lab-kit.conf'];
      const peers = conf.split('\n').filter((l: string) => l.startsWith('cluster_formation.classic_config.nodes.'));
      expect(peers).toHaveLength(broker('rabbitmq').spec.replicas);
      expect(peers[0]).toBe('cluster_formation.classic_config.nodes.1 = rabbit@rabbitmq-0.rabbitmq-headless.order-processing.svc.cluster.local');
      expect(conf).toContain('log.file = false');
      expect(podSpec(broker('rabbitmq')).automountServiceAccountToken).toBe(false);
      expect(mainContainer(broker('rabbitmq')).volumeMounts).toContainEqual({ mountPath: '/etc/rabbitmq/conf.d', name: 'config', readOnly: true });
    });
  });
});

test('dev fits a laptop: one replica each, small requests, volumes deleted with the StatefulSet', () => {
  for (const m of [...ofKind(dev, 'Deployment'), ...ofKind(dev, 'StatefulSet')]) expect(m.spec.replicas).toBe(1);
  for (const set of ofKind(dev, 'StatefulSet')) expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
  expect(one(dev, 'ConfigMap', 'kafka-config').data.KAFKA_HEAP_OPTS).toBe('-Xms512m -Xmx512m');
});

test('Kafka cannot fill its volume: the orders partition keeps at most half of it, in segments far smaller than the volume', () => {
  for (const [manifests, volumeMebibytes] of [
    [dev, 2048],
    [prod, 20480],
  ] as const) {
    const config = one(manifests, 'ConfigMap', 'kafka-config').data;
    const claim = one(manifests, 'StatefulSet', 'kafka').spec.volumeClaimTemplates[0].spec.resources.requests.storage;
    expect(claim).toBe(`${volumeMebibytes / 1024}Gi`);
    expect(Number(config.KAFKA_LOG_RETENTION_BYTES)).toBe((volumeMebibytes / 2) * 1024 * 1024);
    expect(Number(config.KAFKA_LOG_SEGMENT_BYTES)).toBe(64 * 1024 * 1024);
    // Retention deletes whole closed segments: the partition peaks at its limit plus the active segment.
    expect(Number(config.KAFKA_LOG_RETENTION_BYTES) + Number(config.KAFKA_LOG_SEGMENT_BYTES)).toBeLessThan(volumeMebibytes * 1024 * 1024 * 0.6);
  }
});

test('prod is highly available and keeps broker data', () => {
  const replicas = (m: Manifests) => Object.fromEntries([...ofKind(m, 'Deployment'), ...ofKind(m, 'StatefulSet')].map((w) => [w.metadata.name, w.spec.replicas]));
  expect(replicas(prod)).toEqual({
    rabbitmq: 3,
    kafka: 3,
    'order-frontend': 3,
    'order-validator': 3,
    'order-rabbitmq-consumer': 2,
    'order-kafka-consumer': 2,
  });
  for (const set of ofKind(prod, 'StatefulSet')) expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  expect(one(prod, 'ConfigMap', 'kafka-config').data).toMatchObject({ KAFKA_MIN_INSYNC_REPLICAS: '2', KAFKA_DEFAULT_REPLICATION_FACTOR: '3' });
});

test('a storage class setting reaches every volume claim template', () => {
  const custom = synthCharts({ overrides: { storageClass: 'premium-rwo' } }).find((c) => c.chart === 'order-processing')!.manifests;
  for (const set of ofKind(custom, 'StatefulSet')) expect(set.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('premium-rwo');
});
